// @ts-nocheck
// 
// Command output with its terminal colours. Every piece becomes a React text node inside a
// styled <span>: output is untrusted, so nothing here goes through innerHTML.
import Anser from 'anser';
import { memo, useMemo, type CSSProperties, type ReactNode } from 'react';

// The 16 standard colours follow the theme, so "white" stays readable on a light background
// and "black" on a dark one; explicit 256-colour and true-colour values are kept as given.
const THEME_COLOURS: Record<string, string> = {
  black: 'var(--fg-muted)',
  red: 'var(--danger)',
  green: 'var(--ok)',
  yellow: 'var(--warn)',
  blue: 'var(--accent)',
  magenta: 'var(--running)',
  cyan: 'var(--accent)',
  white: 'var(--fg)',
};

// OSC (titles, hyperlinks), DCS/SOS/PM/APC strings, and two-byte escapes (charset selects,
// keypad modes): anser only understands CSI, so these would otherwise show as garbage. A
// string without its terminator ends at the line's end, so one stray ESC cannot hide the rest.
const NON_CSI_ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\u001b\][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b\n]*(?:\u001b\\)?|\u001b[()*+][\s\S]|\u001b[^[]/g;
// Left-over control characters after parsing; tab, newline and carriage return are text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function cubeLevel(n: number): number {
  return n === 0 ? 0 : 55 + n * 40;
}

/** xterm's 256-colour palette above the first 16: a 6×6×6 cube, then a grey ramp. */
function paletteRgb(index: number): string {
  if (index >= 232) {
    const grey = 8 + (index - 232) * 10;
    return `rgb(${grey}, ${grey}, ${grey})`;
  }
  const i = index - 16;
  return `rgb(${cubeLevel(Math.floor(i / 36))}, ${cubeLevel(Math.floor(i / 6) % 6)}, ${cubeLevel(i % 6)})`;
}

/** A CSS colour for one of anser's class names (with `use_classes: true`). */
function cssColour(name: string | null, truecolor: string | null): string | undefined {
  if (!name) return undefined;
  if (name === 'ansi-truecolor') return truecolor ? `rgb(${truecolor})` : undefined;
  const palette = /^ansi-palette-(\d+)$/.exec(name);
  if (palette) return paletteRgb(Number(palette[1]));
  const basic = /^ansi-(?:bright-)?(\w+)$/.exec(name);
  return basic ? THEME_COLOURS[basic[1]] : undefined;
}

function pieceStyle(part: Anser.AnserJsonEntry & { isInverted?: boolean }): CSSProperties {
  const style: CSSProperties = {};
  const fg = cssColour(part.fg, part.fg_truecolor);
  const bg = cssColour(part.bg, part.bg_truecolor);
  if (part.isInverted) {
    // anser swapped the colours already, filling missing ones with white-on-black; the
    // theme's own foreground and background read better than those.
    style.color = part.fg === 'ansi-black' ? 'var(--bg)' : fg;
    style.backgroundColor = part.bg === 'ansi-white' ? 'var(--fg)' : bg;
  } else {
    style.color = fg;
    // A tint, not a solid block, so the theme's text colour stays legible on top of it.
    if (bg) style.backgroundColor = `color-mix(in srgb, ${bg} 30%, transparent)`;
  }
  const decorations = new Set(part.decorations);
  if (decorations.has('bold')) style.fontWeight = 'bold';
  if (decorations.has('dim')) style.opacity = 0.7;
  if (decorations.has('italic')) style.fontStyle = 'italic';
  if (decorations.has('hidden')) style.visibility = 'hidden';
  const lines = [
    decorations.has('underline') ? 'underline' : '',
    decorations.has('strikethrough') ? 'line-through' : '',
  ].filter(Boolean);
  if (lines.length > 0) style.textDecoration = lines.join(' ');
  return style;
}

export interface AnsiPiece {
  text: string;
  style: CSSProperties | null;
}

/** Splits output into plain text and styled pieces; exported for tests and other views. */
export function parseAnsi(text: string): AnsiPiece[] {
  const cleaned = text.replace(/\r\n/g, '\n').replace(NON_CSI_ESCAPES, '');
  const pieces: AnsiPiece[] = [];
  for (const part of Anser.ansiToJson(cleaned, { use_classes: true, remove_empty: true })) {
    const content = part.content.replace(CONTROL_CHARS, '');
    if (content === '') continue;
    const style = part.was_processed ? pieceStyle(part) : null;
    const styled = style && Object.values(style).some((v) => v !== undefined) ? style : null;
    const last = pieces[pieces.length - 1];
    // Neighbours without style merge, keeping the DOM small for long plain output.
    if (!styled && last && !last.style) last.text += content;
    else pieces.push({ text: content, style: styled });
  }
  return pieces;
}

export interface AnsiTextProps {
  text: string;
}

export const AnsiText = memo(function AnsiText({ text }: AnsiTextProps) {
  const nodes = useMemo<ReactNode[]>(
    () =>
      parseAnsi(text).map((piece, i) =>
        piece.style ? (
          <span key={i} style={piece.style}>
            {piece.text}
          </span>
        ) : (
          piece.text
        ),
      ),
    [text],
  );
  return <>{nodes}</>;
});
