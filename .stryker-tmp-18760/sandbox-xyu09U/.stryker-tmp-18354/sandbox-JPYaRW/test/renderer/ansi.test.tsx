// @ts-nocheck
// 
// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AnsiText, parseAnsi } from '../../src/renderer/src/components/AnsiText';

afterEach(cleanup);

describe('AnsiText', () => {
  it('renders SGR red as a coloured span and resets after it', () => {
    const { container } = render(<AnsiText text={'\u001b[31mred\u001b[0m plain'} />);
    const spans = container.querySelectorAll('span');
    expect(spans).toHaveLength(1);
    expect(spans[0].textContent).toBe('red');
    expect(spans[0].style.color).not.toBe('');
    expect(container.textContent).toBe('red plain');
  });

  it('shows markup in the output as text, never as elements', () => {
    const text = '<script>alert(1)</script><img src=x onerror=alert(2)> & done';
    const { container } = render(<AnsiText text={`\u001b[32m${text}\u001b[0m`} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe(text);
  });

  it('strips escape sequences it does not render', () => {
    const text =
      '\u001b]0;window title\u0007a' + // OSC title
      '\u001b[2Kb' + // erase line
      '\u001b[?25lc' + // hide cursor
      '\u001b(Bd' + // charset select
      '\u001b]8;;https://example.com\u001b\\e\u001b]8;;\u001b\\' + // OSC 8 hyperlink
      '\u0007f\u0000g';
    const { container } = render(<AnsiText text={text} />);
    expect(container.textContent).toBe('abcdefg');
  });

  it('does not let an unterminated OSC hide the following lines', () => {
    const { container } = render(<AnsiText text={'\u001b]0;broken\nnext line'} />);
    expect(container.textContent).toBe('\nnext line');
  });

  it('renders bold, underline, 256-colour and true-colour pieces', () => {
    const pieces = parseAnsi(
      '\u001b[1;4mbu\u001b[0m \u001b[38;5;208mpal\u001b[0m \u001b[38;2;10;20;30mtc\u001b[0m',
    );
    const styled = pieces.filter((p) => p.style);
    expect(styled.map((p) => p.text)).toEqual(['bu', 'pal', 'tc']);
    expect(styled[0].style).toMatchObject({ fontWeight: 'bold', textDecoration: 'underline' });
    expect(styled[1].style?.color).toBe('rgb(255, 135, 0)');
    expect(styled[2].style?.color).toBe('rgb(10, 20, 30)');
  });

  it('maps the 16 standard colours to theme colours', () => {
    const [red, white] = parseAnsi('\u001b[31mr\u001b[97mw').filter((p) => p.style);
    expect(red.style?.color).toBe('var(--danger)');
    expect(white.style?.color).toBe('var(--fg)');
  });

  it('keeps plain output as a single text piece', () => {
    expect(parseAnsi('one\r\ntwo\nthree')).toEqual([{ text: 'one\ntwo\nthree', style: null }]);
  });
});
