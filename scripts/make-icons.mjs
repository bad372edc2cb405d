#!/usr/bin/env node
/**
 * Draws the app's icons with Node built-ins only (zlib + a small PNG encoder), so they can be
 * regenerated anywhere and reviewed as code: `node scripts/make-icons.mjs [--out DIR]` (default
 * `resources/`). The committed PNGs are this script's output; test/main/icons.test.ts checks that.
 *
 * Tray: four states × {light, dark} at 16×16 and @2x 32×32, plus macOS template images (black +
 * alpha; the menu bar colours them). Shapes differ per state, not only colours, so the states stay
 * distinguishable in a template image and for colour-blind staff:
 *   online = filled disc · offline = hollow ring · syncing = circular arrow · attention = "!" disc.
 * "light"/"dark" name the taskbar/menu bar the icon sits on: darker colours for a light bar,
 * lighter tints (and a dark glyph) for a dark one.
 * App icon: resources/icon.png, 1024×1024 (electron-builder derives .ico/.icns from it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

// ---------- PNG encoding (RGBA, 8 bit, no interlace, filter 0 on every row) ----------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- Drawing: shapes are inside(x, y) tests in unit coordinates, supersampled ----------

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, w) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
/** Ring segment from angle a0 to a1 (degrees, clockwise from 12 o'clock). */
const arc = (cx, cy, r, w, a0, a1) => {
  const inRing = ring(cx, cy, r, w);
  return (x, y) => {
    if (!inRing(x, y)) return false;
    const a = ((Math.atan2(x - cx, -(y - cy)) * 180) / Math.PI + 360) % 360;
    return a >= a0 && a <= a1;
  };
};
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return dx * dx + dy * dy <= r * r;
};
const triangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by);
  const d2 = s(bx, by, cx, cy);
  const d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const union = (...fs) => (x, y) => fs.some((f) => f(x, y));
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);

/**
 * Renders layers [{shape, color: '#rrggbb', alpha?}] (painted in order, "over") into RGBA.
 * Each pixel is sampled n×n times: anti-aliased edges without any graphics library.
 */
export function render(size, layers, n = size <= 64 ? 8 : 3) {
  const out = Buffer.alloc(size * size * 4);
  const cols = layers.map((l) => ({ ...l, rgb: typeof l.color === 'function' ? null : hex(l.color) }));
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0; // premultiplied
      for (const l of cols) {
        let hits = 0;
        for (let sy = 0; sy < n; sy++) {
          for (let sx = 0; sx < n; sx++) {
            if (l.shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
          }
        }
        if (!hits) continue;
        const rgb = l.rgb ?? hex(l.color(px / size, py / size));
        const la = (hits / (n * n)) * (l.alpha ?? 1);
        r = rgb[0] * la + r * (1 - la);
        g = rgb[1] * la + g * (1 - la);
        b = rgb[2] * la + b * (1 - la);
        a = la + a * (1 - la);
      }
      const o = (py * size + px) * 4;
      out[o] = a ? Math.round(r / a) : 0;
      out[o + 1] = a ? Math.round(g / a) : 0;
      out[o + 2] = a ? Math.round(b / a) : 0;
      out[o + 3] = Math.round(a * 255);
    }
  }
  return out;
}

// ---------- The icons ----------

export const TRAY_STATES = ['online', 'offline', 'syncing', 'attention'];

const COLORS = {
  light: { online: '#1e8e3e', offline: '#5f6368', syncing: '#1a73e8', attention: '#d9480f', glyph: '#ffffff' },
  dark: { online: '#81c995', offline: '#bdc1c6', syncing: '#8ab4f8', attention: '#ff922b', glyph: '#202124' },
};

const C = 0.5;
const syncArrow = (r, w) =>
  union(
    arc(C, C, r, w, 50, 330),
    // arrowhead at the arc's open end (12 o'clock side), pointing clockwise
    triangle(C - 0.02, C - r - w * 0.9, C - 0.02, C - r + w * 1.9, C + w * 1.6, C - r + w * 0.5),
  );
const bang = union(roundRect(0.43, 0.2, 0.57, 0.6, 0.07), disc(C, 0.76, 0.075));

/** Layers for one tray icon; theme 'template' = black + alpha only. */
export function trayLayers(state, theme) {
  if (theme === 'template') {
    const k = '#000000';
    switch (state) {
      case 'online':
        return [{ shape: disc(C, C, 0.4), color: k }];
      case 'offline':
        return [{ shape: ring(C, C, 0.4, 0.13), color: k }];
      case 'syncing':
        return [{ shape: syncArrow(0.34, 0.13), color: k }];
      default:
        return [{ shape: minus(disc(C, C, 0.44), bang), color: k }];
    }
  }
  const c = COLORS[theme];
  switch (state) {
    case 'online':
      return [{ shape: disc(C, C, 0.42), color: c.online }];
    case 'offline':
      return [{ shape: ring(C, C, 0.42, 0.14), color: c.offline }];
    case 'syncing':
      return [
        { shape: disc(C, C, 0.46), color: c.syncing },
        { shape: syncArrow(0.27, 0.1), color: c.glyph },
      ];
    default:
      return [
        { shape: disc(C, C, 0.46), color: c.attention },
        { shape: bang, color: c.glyph },
      ];
  }
}

/** A white ticket with side notches and a barcode, on a blue-to-teal rounded square. */
export function appIconLayers() {
  const gradient = (_x, y) => {
    const a = hex('#1b6ec2');
    const b = hex('#0f9b8e');
    const mix = (i) => Math.round(a[i] + (b[i] - a[i]) * y).toString(16).padStart(2, '0');
    return `#${mix(0)}${mix(1)}${mix(2)}`;
  };
  const ticket = minus(roundRect(0.14, 0.29, 0.86, 0.71, 0.05), union(disc(0.14, C, 0.075), disc(0.86, C, 0.075)));
  const widths = [2, 1, 1, 3, 1, 2, 1, 1, 3, 2, 1, 1, 2, 3, 1, 2, 1, 1, 2];
  const bars = [];
  let x = 0.29;
  const unit = 0.42 / (widths.reduce((s, w) => s + w, 0) * 2);
  widths.forEach((w) => {
    bars.push(roundRect(x, 0.37, x + w * unit, 0.63, 0));
    x += w * unit * 2;
  });
  return [
    { shape: roundRect(0.04, 0.04, 0.96, 0.96, 0.2), color: gradient },
    { shape: ticket, color: '#ffffff' },
    { shape: union(...bars), color: '#1f2937' },
  ];
}

/** Every file this script writes: relative path → { size, layers }. */
export function iconFiles() {
  const files = {};
  for (const state of TRAY_STATES) {
    for (const theme of ['light', 'dark', 'template']) {
      const base = theme === 'template' ? `tray/${state}Template` : `tray/${state}-${theme}`;
      files[`${base}.png`] = { size: 16, layers: trayLayers(state, theme) };
      files[`${base}@2x.png`] = { size: 32, layers: trayLayers(state, theme) };
    }
  }
  files['icon.png'] = { size: 1024, layers: appIconLayers() };
  return files;
}

function main() {
  const i = process.argv.indexOf('--out');
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = resolve(i >= 0 ? process.argv[i + 1] : join(here, '..', 'resources'));
  for (const [rel, { size, layers }] of Object.entries(iconFiles())) {
    const file = join(outDir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodePng(size, size, render(size, layers)));
  }
  process.stdout.write(`icons written to ${outDir}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
