// Short texts about a run for people (desktop notices and chat messages): clipping to a
// length, output as a terminal showed it, and the last line worth showing.
import { describe, expect, it } from 'vitest';
import { clip, lastLine, visibleText } from '../../src/shared/notice-text';

describe('clip', () => {
  it('keeps a text of exactly the length, and cuts a longer one with an ellipsis', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
    expect(clip('ab cd', 4)).toBe('ab…');
    expect(clip(' abcd', 3)).toBe(' a…');
  });
});

describe('visibleText', () => {
  it('shows the last state of a progress line, whatever ends it', () => {
    expect(visibleText('10%\r50%\r')).toBe('50%');
    expect(visibleText('done\r\r\nnext')).toBe('done\nnext');
    expect(visibleText('10%\r50%\r\n')).toBe('50%\n');
  });

  it('keeps lines, widens tabs and drops control characters', () => {
    expect(visibleText('a\tb\nc\x07d')).toBe('a  b\ncd');
  });
});

describe('lastLine', () => {
  it('squeezes the spaces of the last line with text', () => {
    expect(lastLine('first\nlast   one  \n\n')).toBe('last one');
  });

  it('is empty when no line has text, even one that starts with a newline', () => {
    expect(lastLine('\n \n')).toBe('');
    expect(lastLine('')).toBe('');
  });
});
