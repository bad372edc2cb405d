/**
 * The committed icons are what scripts/make-icons.mjs draws (compared pixel by pixel, so a zlib
 * version change cannot break it), every tray state has its light, dark and template variants at
 * 1× and 2×, and the states look different from each other.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Png {
  width: number;
  height: number;
  rgba: Buffer;
}

/** Minimal reader for what the script writes: 8-bit RGBA, filter 0 rows. */
function readPng(file: string): Png {
  const buf = readFileSync(file);
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

const pixel = (p: Png, x: number, y: number) => [...p.rgba.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4)];

const STATES = ['online', 'offline', 'syncing', 'attention'];
let fresh = '';

beforeAll(() => {
  fresh = mkdtempSync(join(tmpdir(), 'rc-icons-'));
  execFileSync(process.execPath, ['scripts/make-icons.mjs', '--out', fresh]);
});
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('icons', () => {
  it('are exactly what scripts/make-icons.mjs draws', () => {
    const list = (dir: string) => ['icon.png', ...readdirSync(join(dir, 'tray')).map((f) => `tray/${f}`)].sort();
    expect(list('resources')).toEqual(list(fresh));
    for (const rel of list(fresh)) {
      const a = readPng(join('resources', rel));
      const b = readPng(join(fresh, rel));
      expect([a.width, a.height], rel).toEqual([b.width, b.height]);
      expect(a.rgba.equals(b.rgba), `${rel} differs from the script's drawing: run node scripts/make-icons.mjs`).toBe(true);
    }
  });

  it('cover every tray state in light, dark and template variants at 16 and 32 px, and a large app icon', () => {
    for (const state of STATES) {
      for (const base of [`${state}-light`, `${state}-dark`, `${state}Template`]) {
        expect(readPng(join('resources/tray', `${base}.png`)).width).toBe(16);
        expect(readPng(join('resources/tray', `${base}@2x.png`)).width).toBe(32);
      }
    }
    const app = readPng('resources/icon.png');
    expect(app.width).toBeGreaterThanOrEqual(512);
    expect(app.height).toBe(app.width);
  });

  it('use the state colours: green online, grey offline, blue syncing, orange-red attention', () => {
    for (const theme of ['light', 'dark']) {
      const at = (state: string, x: number, y: number) => pixel(readPng(join('resources/tray', `${state}-${theme}@2x.png`)), x, y);
      const [r, g, b, a] = at('online', 16, 16);
      expect(a).toBe(255);
      expect(g).toBeGreaterThan(r + 40);
      expect(g).toBeGreaterThan(b);
      const ring = at('offline', 16, 3); // on the ring
      expect(ring[3]).toBe(255);
      expect(Math.max(ring[0], ring[1], ring[2]) - Math.min(ring[0], ring[1], ring[2])).toBeLessThan(16);
      expect(at('offline', 16, 16)[3]).toBe(0); // hollow
      const blue = at('syncing', 4, 16);
      expect(blue[2]).toBeGreaterThan(blue[0] + 40);
      const orange = at('attention', 4, 16);
      expect(orange[0]).toBeGreaterThan(orange[2] + 80);
    }
  });

  it('make template images from black and alpha only, with a different shape per state', () => {
    const masks = STATES.map((state) => {
      const p = readPng(join('resources/tray', `${state}Template@2x.png`));
      for (let i = 0; i < p.rgba.length; i += 4) {
        if (p.rgba[i + 3] > 0) expect([p.rgba[i], p.rgba[i + 1], p.rgba[i + 2]]).toEqual([0, 0, 0]);
      }
      return Buffer.from(p.rgba.filter((_, i) => i % 4 === 3));
    });
    for (let i = 0; i < masks.length; i++) for (let j = i + 1; j < masks.length; j++) expect(masks[i].equals(masks[j])).toBe(false);
  });
});
