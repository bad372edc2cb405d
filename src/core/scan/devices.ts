/**
 * Which HID device is the scanner, and how to read it. Pure rules over the device list:
 *
 * 1. Configured ids win: when settings name a vendor id, product id or usage page, only devices
 *    matching every given value are candidates (auto-detect does not pick something else).
 * 2. Otherwise, with auto-detect on: a HID POS device (usage page 0x8C, USB HID POS Usage Tables) is
 *    the scanner; failing that, on Linux only (where hidraw lets us open a keyboard — Windows and macOS
 *    keep keyboards to themselves), a keyboard interface (usage page 1, usage 6) that looks like a
 *    scanner by its vendor or its name. A plain keyboard is never picked: its typing would become scans.
 *
 * Among candidates: HID POS before keyboard before anything else, then by path (stable choice).
 */
import type { HidDevice } from '../../shared/contract/register';
import type { Settings } from '../../shared/contract/settings';
import type { HidDeviceInfo } from './hid-backend';

export const HID_POS_USAGE_PAGE = 0x8c;
export const GENERIC_DESKTOP_PAGE = 0x01;
export const KEYBOARD_USAGE = 0x06;

export type ScannerMode = 'hid-pos' | 'hid-keyboard';
export type ScannerSettings = Settings['scanner'];

export interface ScannerChoice {
  device: HidDeviceInfo;
  mode: ScannerMode;
  reason: 'configured' | 'hid-pos' | 'keyboard';
}

/** USB vendor ids of barcode-scanner makers (Honeywell/Metrologic/HHP, Symbol/Zebra, Datalogic/PSC, Newland, Opticon). */
const SCANNER_VENDORS = new Set([0x0c2e, 0x05e0, 0x05f9, 0x1eab, 0x065a]);
const SCANNER_NAME = /scan|bar ?code|imager|honeywell|zebra|symbol|datalogic|newland|opticon|denso|metrologic|keyence|netum|inateck|eyoyo|zebex|unitech/i;

export const isHidPos = (d: HidDeviceInfo): boolean => d.usagePage === HID_POS_USAGE_PAGE;
export const isKeyboard = (d: HidDeviceInfo): boolean => d.usagePage === GENERIC_DESKTOP_PAGE && d.usage === KEYBOARD_USAGE;

/** Whether the OS lets node-hid open a keyboard interface (Linux hidraw does; Windows and macOS do not). */
export const keyboardOpenable = (platform: string): boolean => platform === 'linux';

export function looksLikeScanner(d: HidDeviceInfo): boolean {
  return SCANNER_VENDORS.has(d.vendorId) || SCANNER_NAME.test(`${d.manufacturer ?? ''} ${d.product ?? ''}`);
}

export function isConfigured(s: ScannerSettings): boolean {
  return s.vendorId !== null || s.productId !== null || s.usagePage !== null;
}

export function matchesConfigured(d: HidDeviceInfo, s: ScannerSettings): boolean {
  return (
    isConfigured(s) &&
    (s.vendorId === null || s.vendorId === d.vendorId) &&
    (s.productId === null || s.productId === d.productId) &&
    (s.usagePage === null || s.usagePage === d.usagePage)
  );
}

/** How a device would be read: keyboard interfaces as boot keyboards, everything else as HID POS data. */
export const modeOf = (d: HidDeviceInfo): ScannerMode => (isKeyboard(d) ? 'hid-keyboard' : 'hid-pos');

const rank = (d: HidDeviceInfo): number => (isHidPos(d) ? 0 : isKeyboard(d) ? 1 : 2);
const byPreference = (a: HidDeviceInfo, b: HidDeviceInfo): number => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function chooseScanner(devices: readonly HidDeviceInfo[], s: ScannerSettings, platform: string): ScannerChoice | null {
  if (isConfigured(s)) {
    const [d] = devices.filter((x) => matchesConfigured(x, s)).sort(byPreference);
    return d ? { device: d, mode: modeOf(d), reason: 'configured' } : null;
  }
  if (!s.autoDetect) return null;
  const [pos] = devices.filter(isHidPos).sort(byPreference);
  if (pos) return { device: pos, mode: 'hid-pos', reason: 'hid-pos' };
  if (!keyboardOpenable(platform)) return null;
  const [kb] = devices.filter((x) => isKeyboard(x) && looksLikeScanner(x)).sort(byPreference);
  return kb ? { device: kb, mode: 'hid-keyboard', reason: 'keyboard' } : null;
}

/** The contract's view of a device for the settings screen. */
export function describeDevice(d: HidDeviceInfo, s: ScannerSettings, platform: string): HidDevice {
  const configured = matchesConfigured(d, s);
  const likely = configured || isHidPos(d) || (isKeyboard(d) && keyboardOpenable(platform) && looksLikeScanner(d));
  return {
    path: d.path,
    vendorId: d.vendorId,
    productId: d.productId,
    usagePage: d.usagePage,
    usage: d.usage,
    product: d.product,
    manufacturer: d.manufacturer,
    likelyScanner: likely,
    mode: isHidPos(d) || isKeyboard(d) || configured ? modeOf(d) : 'other',
  };
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** "Honeywell Xenon 1900 (0c2e:0b87)": what the status bar shows. */
export function deviceLabel(d: HidDeviceInfo): string {
  const name = [d.manufacturer, d.product].filter(Boolean).join(' ') || 'HID device';
  return `${name} (${hex4(d.vendorId)}:${hex4(d.productId)})`;
}
