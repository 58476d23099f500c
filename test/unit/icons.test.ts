import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { isTemplateIcon, trayIconFile } from '../../src/main/trayIcons';
import type { TrayIconState } from '../../src/main/trayModel';

const root = fileURLToPath(new URL('../..', import.meta.url));
const resources = join(root, 'resources');

const EXPECTED: Array<[file: string, size: number]> = [
  ['tray-idle.png', 16],
  ['tray-idle@2x.png', 32],
  ['tray-running.png', 16],
  ['tray-running@2x.png', 32],
  ['tray-failed.png', 16],
  ['tray-failed@2x.png', 32],
  ['trayTemplate.png', 16],
  ['trayTemplate@2x.png', 32],
  ['icon.png', 512],
];

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  pixels: Uint8Array;
}

/** A minimal reader: checks every chunk's CRC and undoes filter type 0 (all the writer uses). */
function decodePng(buf: Buffer): Png {
  expect(buf.subarray(0, 8).equals(SIGNATURE)).toBe(true);
  let offset = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    const crc = buf.readUInt32BE(offset + 8 + length);
    expect(crc, `${type} CRC`).toBe(crc32(buf.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') ihdr = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    offset += 12 + length;
  }
  expect(ended).toBe(true);
  if (!ihdr) throw new Error('no IHDR');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    expect(raw[row], `filter of row ${y}`).toBe(0);
    pixels.set(raw.subarray(row + 1, row + 1 + stride), y * stride);
  }
  return { width, height, bitDepth: ihdr[8], colorType: ihdr[9], interlace: ihdr[12], pixels };
}

function load(file: string): Png {
  return decodePng(readFileSync(join(resources, file)));
}

describe('icons in resources/', () => {
  it.each(EXPECTED)('%s is a %i px RGBA PNG', (file, size) => {
    const png = load(file);
    expect(png.width).toBe(size);
    expect(png.height).toBe(size);
    expect(png.bitDepth).toBe(8);
    expect(png.colorType).toBe(6);
    expect(png.interlace).toBe(0);
  });

  it.each(['trayTemplate.png', 'trayTemplate@2x.png'])(
    '%s is a macOS template: black only, shaped by alpha',
    (file) => {
      const { pixels } = load(file);
      const alphas = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4) {
        expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([0, 0, 0]);
        alphas.add(pixels[i + 3]);
      }
      expect(alphas.has(0)).toBe(true);
      expect(alphas.has(255)).toBe(true);
      // Anti-aliased edges, not a hard mask.
      expect([...alphas].some((a) => a > 0 && a < 255)).toBe(true);
    },
  );

  it('the icons have transparent corners and anti-aliased edges', () => {
    for (const [file] of EXPECTED) {
      const { pixels, width } = load(file);
      expect(pixels[3], `${file} corner`).toBe(0);
      expect(pixels[(width * width - 1) * 4 + 3] < 255, `${file} far corner`).toBe(true);
      const partial = pixels.filter((_, i) => i % 4 === 3 && pixels[i] > 0 && pixels[i] < 255);
      expect(partial.length, `${file} soft edge`).toBeGreaterThan(0);
    }
  });

  it('the failed icon carries a red badge and the running one is blue', () => {
    const has = (file: string, test: (r: number, g: number, b: number) => boolean) => {
      const { pixels } = load(file);
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] === 255 && test(pixels[i], pixels[i + 1], pixels[i + 2])) return true;
      }
      return false;
    };
    const red = (r: number, g: number, b: number) => r > 180 && g < 80 && b < 80;
    const blue = (r: number, g: number, b: number) => b > 180 && r < 80;
    for (const scale of ['', '@2x']) {
      expect(has(`tray-failed${scale}.png`, red)).toBe(true);
      expect(has(`tray-idle${scale}.png`, red)).toBe(false);
      expect(has(`tray-running${scale}.png`, blue)).toBe(true);
      expect(has(`tray-idle${scale}.png`, blue)).toBe(false);
    }
  });
});

describe('trayIconFile', () => {
  const states: TrayIconState[] = ['idle', 'running', 'failed'];

  it('names an existing file with an @2x sibling for every state and platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of states) {
        const file = trayIconFile(state, platform);
        expect(existsSync(join(resources, file)), file).toBe(true);
        expect(existsSync(join(resources, file.replace(/\.png$/, '@2x.png'))), file).toBe(true);
      }
    }
  });

  it('uses the template image only for idle on macOS', () => {
    expect(trayIconFile('idle', 'darwin')).toBe('trayTemplate.png');
    expect(isTemplateIcon('idle', 'darwin')).toBe(true);
    expect(isTemplateIcon('failed', 'darwin')).toBe(false);
    expect(isTemplateIcon('running', 'darwin')).toBe(false);
    expect(trayIconFile('idle', 'linux')).toBe('tray-idle.png');
    expect(isTemplateIcon('idle', 'win32')).toBe(false);
    expect(trayIconFile('failed', 'darwin')).toBe('tray-failed.png');
  });
});

describe('scripts/make-icons.mjs', () => {
  // Not the shared helper: that one pulls in the whole headless server.
  const dir = mkdtempSync(join(tmpdir(), 'cmdop-icons-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reproduces the checked-in icons byte for byte', () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'make-icons.mjs'), dir], {
      stdio: 'pipe',
    });
    for (const [file] of EXPECTED) {
      expect(readFileSync(join(dir, file)).equals(readFileSync(join(resources, file))), file).toBe(
        true,
      );
    }
  });
});
