/**
 * Keyboard-wedge detector: tells a scanner's burst of keystrokes from a person typing, by timing.
 * Pure: no React, no DOM; `useWedgeScanner` feeds it keydown events.
 *
 * Characters come from the physical key (`KeyboardEvent.code`, through the shared keymap), never
 * from `key`: with a Japanese IME on, `key` is 'Process' or a kana / full-width character, while
 * `code` still names the key the scanner "pressed". A burst is a scan when every gap between its
 * characters is ≤ maxGapMs, it has ≥ minLength characters, and a terminator (Enter / NumpadEnter /
 * Tab, as configured) follows within maxGapMs. Modifier keys (Shift...) neither add nor break a burst,
 * and do not count as activity for timing (a held Shift auto-repeats). Any other key (Backspace,
 * arrows...) ends the burst.
 *
 * Steps: every character is `pending` (it may start or continue a scan: a character after a slow gap
 * starts a new candidate burst, dropping what a person typed before); a completed scan is `scan`;
 * anything that cannot be part of a scan is `idle`.
 */
import type { WedgeSettings } from '../../shared/contract/settings';
import { keyByCode, keyChar } from './keymap';

export interface WedgeKey {
  code: string;
  key: string;
  shiftKey: boolean;
  timeStamp: number;
}
export type WedgeStep = { kind: 'idle' } | { kind: 'pending' } | { kind: 'scan'; text: string };
export interface WedgeDetector {
  feed(key: WedgeKey): WedgeStep;
  reset(): void;
}

/** Longest burst kept: a scan longer than this is not something the register can use. */
const MAX_BURST = 1000;

const IDLE: WedgeStep = { kind: 'idle' };
const PENDING: WedgeStep = { kind: 'pending' };

export function createWedgeDetector(settings: WedgeSettings, layout: 'us' | 'jis'): WedgeDetector {
  const acceptEnter = settings.terminators.includes('Enter');
  const acceptTab = settings.terminators.includes('Tab');
  let buffer = '';
  let last = -Infinity;

  const reset = (): void => {
    buffer = '';
    last = -Infinity;
  };

  return {
    reset,
    feed(input: WedgeKey): WedgeStep {
      const k = typeof input?.code === 'string' ? keyByCode(input.code) : undefined;
      const t = Number(input?.timeStamp);
      if (k?.role === 'modifier') return buffer ? PENDING : IDLE;
      const gap = Number.isFinite(t) ? t - last : Infinity;
      if ((k?.role === 'enter' && acceptEnter) || (k?.role === 'tab' && acceptTab)) {
        const text = buffer;
        reset();
        return gap >= 0 && gap <= settings.maxGapMs && text.length >= settings.minLength ? { kind: 'scan', text } : IDLE;
      }
      const ch = k?.role === 'char' ? keyChar(k, input.shiftKey === true, layout) : null;
      if (ch === null || !Number.isFinite(t)) {
        reset();
        return IDLE;
      }
      // A slow (or backwards) gap means the previous characters were typed by a person: start afresh.
      if (!(gap >= 0 && gap <= settings.maxGapMs) || buffer.length >= MAX_BURST) buffer = '';
      buffer += ch;
      last = t;
      return PENDING;
    },
  };
}
