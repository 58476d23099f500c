#!/usr/bin/env node
// @ts-nocheck
// 
// Draws the tray and app icons into resources/ (or the directory given as the first
// argument). No image library: the machines that build this have no network, so shapes are
// signed-distance tests, supersampled for anti-aliasing, written as PNG by hand.
// Output is deterministic, so the checked-in PNGs can be compared with a fresh run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SUPERSAMPLE = 4;

// ---- PNG writing -------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
}

/** rgba: Uint8Array of width*height*4, straight (not premultiplied) alpha. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering (each row says its filter)
  ihdr[12] = 0; // no interlace
  // Filter type 0 on every row: the icons are tiny, and a reader stays trivial.
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes, in a 16-unit design space scaled to the target size -------------------------
// Each shape is a predicate inside(x, y); a layer paints a colour where its shape is inside,
// or clears to transparent (a cut-out) when its colour is null.

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const ring = (cx, cy, rOut, rIn) => (x, y) => {
  const d2 = (x - cx) ** 2 + (y - cy) ** 2;
  return d2 <= rOut * rOut && d2 >= rIn * rIn;
};

/** A line segment with round ends (a capsule) of the given half-width. */
const segment = (x1, y1, x2, y2, halfWidth) => (x, y) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  const px = x1 + t * dx - x;
  const py = y1 + t * dy - y;
  return px * px + py * py <= halfWidth * halfWidth;
};

const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const qx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const qy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && qx * qx + qy * qy <= r * r;
};

const rgb = (hex, a = 1) => [
  parseInt(hex.slice(1, 3), 16) / 255,
  parseInt(hex.slice(3, 5), 16) / 255,
  parseInt(hex.slice(5, 7), 16) / 255,
  a,
];

/**
 * Paints layers (in the 16-unit space) at size×size. Each output pixel averages
 * SUPERSAMPLE² samples of premultiplied colour: a box filter over a 4× image.
 */
function render(size, layers) {
  const scale = 16 / size;
  const out = new Uint8Array(size * size * 4);
  const n = SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) * scale;
          const y = (py + (sy + 0.5) / n) * scale;
          let c = null;
          for (const layer of layers) {
            if (layer.shape(x, y))
              c = typeof layer.color === 'function' ? layer.color(x, y) : layer.color;
          }
          if (c === null) continue;
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      const alpha = a / (n * n);
      out[i + 3] = Math.round(alpha * 255);
      if (out[i + 3] === 0) continue;
      // Back to straight alpha, which is what PNG stores.
      out[i] = Math.round((r / a) * 255);
      out[i + 1] = Math.round((g / a) * 255);
      out[i + 2] = Math.round((b / a) * 255);
    }
  }
  return out;
}

// ---- The designs -------------------------------------------------------------------------
// A clock reading three o'clock: both hands axis-aligned and 2 units wide, centred on a pixel
// edge at 16 px, so they land on whole pixels and stay sharp at the smallest size.

const C = 8;
const hands = (halfWidth = 1) => [
  segment(C, C, C, 4.5, halfWidth), // minute hand, to 12
  segment(C, C, 10.5, C, halfWidth), // hour hand, to 3 (shorter, as hour hands are)
];

const SLATE = rgb('#64748b');
const BLUE = rgb('#2563eb');
const RED = rgb('#dc2626');
const WHITE = rgb('#ffffff');
const BLACK = rgb('#000000');

/** Windows and Linux trays may be light or dark: a filled dial with white hands reads on both. */
function dialIcon(dialColor) {
  return [
    { shape: circle(C, C, 7.5), color: dialColor },
    ...hands().map((shape) => ({ shape, color: WHITE })),
  ];
}

/** A red dot in the corner, with a transparent moat so it stays legible over the dial. */
function withBadge(layers, color) {
  return [
    ...layers,
    { shape: circle(12.75, 12.75, 4.25), color: null },
    { shape: circle(12.75, 12.75, 3.25), color },
  ];
}

/** macOS template: black and alpha only; the system tints it to match the menu bar. */
function templateIcon() {
  return [
    { shape: ring(C, C, 7.25, 5.5), color: BLACK },
    ...hands().map((shape) => ({ shape, color: BLACK })),
  ];
}

/** The app icon: a blue rounded square, a white dial, slate hands and hour ticks. */
function appIcon() {
  const top = rgb('#3b82f6');
  const bottom = rgb('#1d4ed8');
  const gradient = (_x, y) => {
    const t = Math.max(0, Math.min(1, (y - 1) / 14));
    return top.map((v, i) => v + (bottom[i] - v) * t);
  };
  const ticks = [];
  for (let h = 0; h < 12; h++) {
    const angle = (h / 12) * 2 * Math.PI;
    const [sin, cos] = [Math.sin(angle), Math.cos(angle)];
    const inner = h % 3 === 0 ? 4.2 : 4.6;
    ticks.push({
      shape: segment(C + sin * inner, C - cos * inner, C + sin * 5.1, C - cos * 5.1, 0.22),
      color: rgb('#94a3b8'),
    });
  }
  return [
    { shape: roundedRect(0.75, 0.75, 15.25, 15.25, 3.4), color: gradient },
    { shape: circle(C, C, 5.9), color: WHITE },
    ...ticks,
    { shape: segment(C, C, C, 4.4, 0.42), color: rgb('#1e293b') },
    { shape: segment(C, C, 10.6, C, 0.42), color: rgb('#1e293b') },
    { shape: circle(C, C, 0.75), color: BLUE },
  ];
}

export const ICONS = [
  { file: 'tray-idle.png', size: 16, layers: dialIcon(SLATE) },
  { file: 'tray-idle@2x.png', size: 32, layers: dialIcon(SLATE) },
  { file: 'tray-running.png', size: 16, layers: dialIcon(BLUE) },
  { file: 'tray-running@2x.png', size: 32, layers: dialIcon(BLUE) },
  { file: 'tray-failed.png', size: 16, layers: withBadge(dialIcon(SLATE), RED) },
  { file: 'tray-failed@2x.png', size: 32, layers: withBadge(dialIcon(SLATE), RED) },
  { file: 'trayTemplate.png', size: 16, layers: templateIcon() },
  { file: 'trayTemplate@2x.png', size: 32, layers: templateIcon() },
  { file: 'icon.png', size: 512, layers: appIcon() },
];

function main() {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const outDir = resolve(process.argv[2] ?? join(here, '..', 'resources'));
  mkdirSync(outDir, { recursive: true });
  for (const { file, size, layers } of ICONS) {
    writeFileSync(join(outDir, file), encodePng(size, size, render(size, layers)));
  }
  console.log(`wrote ${ICONS.length} icons to ${outDir}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
