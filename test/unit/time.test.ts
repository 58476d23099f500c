import { describe, it, expect } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../../src/shared/time';

describe('formatTimestamp', () => {
  it('formats UTC with second precision and a Z, as in the reference', () => {
    expect(formatTimestamp(Date.UTC(2024, 0, 21, 3, 0, 0))).toBe('2024-01-21T03:00:00Z');
  });

  it('drops milliseconds instead of rounding them', () => {
    expect(formatTimestamp(Date.UTC(2024, 0, 21, 3, 0, 59, 999))).toBe('2024-01-21T03:00:59Z');
  });

  it('round-trips through parseTimestamp', () => {
    const ms = Date.UTC(2026, 10, 30, 8, 0, 0);
    expect(parseTimestamp(formatTimestamp(ms))).toBe(ms);
  });
});

describe('parseTimestamp', () => {
  it('ignores spaces around the timestamp (a pasted value), with or without a time', () => {
    expect(parseTimestamp('  2024-01-21T03:00:00Z \n')).toBe(Date.parse('2024-01-21T03:00:00Z'));
    expect(parseTimestamp(' 2024-01-21 ')).toBe(Date.parse('2024-01-21T00:00:00Z'));
  });

  it('accepts the wire format', () => {
    expect(parseTimestamp('2024-01-20T03:00:00Z')).toBe(Date.UTC(2024, 0, 20, 3, 0, 0));
  });

  it('accepts explicit offsets', () => {
    expect(parseTimestamp('2024-01-20T08:30:00+05:30')).toBe(Date.UTC(2024, 0, 20, 3, 0, 0));
    expect(parseTimestamp('2024-01-19T22:00:00-05:00')).toBe(Date.UTC(2024, 0, 20, 3, 0, 0));
  });

  it('accepts fractional seconds', () => {
    expect(parseTimestamp('2024-01-20T03:00:00.250Z')).toBe(Date.UTC(2024, 0, 20, 3, 0, 0, 250));
  });

  it('takes a date alone as midnight UTC', () => {
    expect(parseTimestamp('2024-01-20')).toBe(Date.UTC(2024, 0, 20));
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it.each([
    '2024-02-30',
    '2024-02-30T00:00:00Z',
    '2023-02-29',
    '2024-13-01',
    '2024-04-31T12:00:00Z',
    'yesterday',
    '',
    '1705719600',
    '2024-01-20T03:00:00',
    '2024-01-20T25:00:00Z',
  ])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});
