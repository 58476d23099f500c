// The local times an expression names (read as UTC, no zone): the first strictly after a
// time and the last at or before it, checked against a plain day-by-day, second-by-second
// search over the fields cron.ts parses, for many expressions and starting points.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronError, cronFieldSets } from '../../src/shared/cron';
import { wallAfter, wallAtOrBefore } from '../../src/shared/wall-times';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

/** The plain search: each day in turn, each second of a matching day. */
function reference(expression: string, wall: number, direction: 1 | -1): number | null {
  const f = cronFieldSets(expression);
  const has = (set: Set<number> | null, v: number) => set === null || set.has(v);
  const dayMatches = (ms: number) => {
    const d = new Date(ms);
    if (!has(f.month, d.getUTCMonth() + 1)) return false;
    const dom = has(f.dayOfMonth, d.getUTCDate());
    const dow = has(f.dayOfWeek, d.getUTCDay());
    return f.daysEither ? dom || dow : dom && dow;
  };
  const second = f.hasSeconds ? f.second : new Set([0]);
  const timeMatches = (sod: number) =>
    has(second, sod % 60) &&
    has(f.minute, Math.floor(sod / 60) % 60) &&
    has(f.hour, Math.floor(sod / 3600));
  const start =
    direction === 1 ? Math.floor(wall / 1000) * 1000 + 1000 : Math.floor(wall / 1000) * 1000;
  let day = Math.floor(start / DAY) * DAY;
  let sod = (start - day) / 1000;
  for (let i = 0; i < 366 * 30; i++) {
    if (dayMatches(day)) {
      for (let s = sod; s >= 0 && s < 86_400;) {
        if (timeMatches(s)) return day + s * 1000;
        // A whole hour or minute that is not named is skipped at once (only for speed).
        const unit = !has(f.hour, Math.floor(s / 3600))
          ? 3600
          : !has(f.minute, Math.floor(s / 60) % 60)
            ? 60
            : 1;
        s = direction === 1 ? (Math.floor(s / unit) + 1) * unit : Math.floor(s / unit) * unit - 1;
      }
    }
    day += direction * DAY;
    sod = direction === 1 ? 0 : 86_399;
  }
  return null;
}

const field = (...options: string[]) => fc.constantFrom(...options);
const expressions = fc
  .tuple(
    field('', '0 ', '*/20 ', '59 ', '* ', '15,45 ', '10-12 '),
    field('*', '0', '*/15', '5,35', '10-20/5', '59', '1-2', '58/1'),
    field('*', '0', '23', '9-17', '*/6', '2', '22/1'),
    field('*', '1', '31', '29', '15-16', '?', '*/10', '28-31'),
    field('*', '2', '12', '1-3', 'JUN', '2,8', '*/5'),
    field('*', '0', '7', 'MON-FRI', '6', '?', '1,3'),
  )
  .map(([s, m, h, dom, mon, dow]) => `${s}${m} ${h} ${dom} ${mon} ${dow}`)
  .filter((e) => cronError(e) === null);
// Starting points from 1999 to 2101 (centuries, leap days), some with milliseconds.
const walls = fc.oneof(
  fc
    .integer({ min: at('1999-01-01T00:00:00Z') / 1000, max: at('2101-12-31T00:00:00Z') / 1000 })
    .map((s) => s * 1000),
  fc.integer({ min: at('1999-01-01T00:00:00Z'), max: at('2101-12-31T00:00:00Z') }),
  fc.constantFrom(
    at('2023-12-31T23:59:59Z'),
    at('2024-02-28T23:59:59.5Z'),
    at('2024-02-29T00:00:00Z'),
    at('2100-02-28T23:59:59Z'),
    at('2024-01-01T00:00:00Z'),
    at('2025-12-31T23:00:00Z'),
  ),
);

// Fixed seeds: the same inputs on every run (Stryker runs a test only against the mutants
// it covered in its first run).
describe('wallAfter and wallAtOrBefore agree with a plain search', () => {
  it('the first local time strictly after', () => {
    fc.assert(
      fc.property(expressions, walls, (expr, wall) => {
        expect(wallAfter(expr, wall)).toBe(reference(expr, wall, 1));
      }),
      { numRuns: 150, seed: 1901 },
    );
  });

  it('the last local time at or before', () => {
    fc.assert(
      fc.property(expressions, walls, (expr, wall) => {
        expect(wallAtOrBefore(expr, wall)).toBe(reference(expr, wall, -1));
      }),
      { numRuns: 150, seed: 1901 },
    );
  });
});

describe('wallAfter and wallAtOrBefore: cases by hand', () => {
  it('strictly after, but at or before', () => {
    const t = at('2026-05-01T03:00:00Z');
    expect(wallAfter('0 3 * * *', t)).toBe(at('2026-05-02T03:00:00Z'));
    expect(wallAtOrBefore('0 3 * * *', t)).toBe(t);
    expect(wallAtOrBefore('0 3 * * *', t - 1)).toBe(at('2026-04-30T03:00:00Z'));
    expect(wallAfter('0 3 * * *', t - 1)).toBe(t);
  });

  it('a month not named: on to the next named one, or the next year', () => {
    expect(wallAfter('0 0 1 3 *', at('2026-04-10T00:00:00Z'))).toBe(at('2027-03-01T00:00:00Z'));
    expect(wallAfter('0 0 1 3,9 *', at('2026-04-10T00:00:00Z'))).toBe(at('2026-09-01T00:00:00Z'));
    expect(wallAtOrBefore('0 0 1 3,9 *', at('2026-04-10T00:00:00Z'))).toBe(
      at('2026-03-01T00:00:00Z'),
    );
    expect(wallAtOrBefore('0 0 1 9 *', at('2026-04-10T00:00:00Z'))).toBe(
      at('2025-09-01T00:00:00Z'),
    );
    expect(wallAtOrBefore('59 23 31 12 *', at('2026-01-10T00:00:00Z'))).toBe(
      at('2025-12-31T23:59:00Z'),
    );
    expect(wallAtOrBefore('0 0 * 1 *', at('2026-02-10T00:00:00Z'))).toBe(
      at('2026-01-31T00:00:00Z'),
    );
  });

  it('the end of a month and of a year', () => {
    expect(wallAfter('0 12 * * *', at('2026-12-31T13:00:00Z'))).toBe(at('2027-01-01T12:00:00Z'));
    expect(wallAfter('0 12 31 * *', at('2026-04-01T00:00:00Z'))).toBe(at('2026-05-31T12:00:00Z'));
    expect(wallAtOrBefore('0 12 * * *', at('2027-01-01T11:00:00Z'))).toBe(
      at('2026-12-31T12:00:00Z'),
    );
    expect(wallAtOrBefore('0 12 31 * *', at('2026-07-01T00:00:00Z'))).toBe(
      at('2026-05-31T12:00:00Z'),
    );
  });

  it('leap days: 29 February every four years, not in 2100', () => {
    expect(wallAfter('0 0 29 2 *', at('2097-01-01T00:00:00Z'))).toBe(at('2104-02-29T00:00:00Z'));
    expect(wallAtOrBefore('0 0 29 2 *', at('2103-01-01T00:00:00Z'))).toBe(
      at('2096-02-29T00:00:00Z'),
    );
  });

  it('seconds: a six-field expression names seconds, five fields second 0', () => {
    const t = at('2026-05-01T10:00:00Z');
    expect(wallAfter('*/20 * * * * *', t)).toBe(t + 20_000);
    expect(wallAfter('* * * * *', t)).toBe(t + 60_000);
    expect(wallAfter('* * * * *', t + 500)).toBe(t + 60_000);
    expect(wallAfter('* * * * * *', t + 500)).toBe(t + 1000);
    expect(wallAtOrBefore('* * * * * *', t + 500)).toBe(t);
    expect(wallAtOrBefore('30 * * * * *', t)).toBe(t - 30_000);
    expect(wallAtOrBefore('*/20 5 * * * *', t)).toBe(at('2026-05-01T09:05:40Z'));
  });

  it('minutes and hours past the last named one roll on to the next hour or day', () => {
    expect(wallAfter('10 9-10 * * *', at('2026-05-01T09:10:00Z'))).toBe(at('2026-05-01T10:10:00Z'));
    expect(wallAfter('10 9-10 * * *', at('2026-05-01T10:10:00Z'))).toBe(at('2026-05-02T09:10:00Z'));
    expect(wallAfter('10,20 9 * * *', at('2026-05-01T09:10:30Z'))).toBe(at('2026-05-01T09:20:00Z'));
    expect(wallAtOrBefore('10 9-10 * * *', at('2026-05-01T10:09:59Z'))).toBe(
      at('2026-05-01T09:10:00Z'),
    );
    expect(wallAtOrBefore('10 9-10 * * *', at('2026-05-01T09:09:59Z'))).toBe(
      at('2026-04-30T10:10:00Z'),
    );
    expect(wallAtOrBefore('0 0 * * *', at('2026-05-01T00:00:00Z'))).toBe(
      at('2026-05-01T00:00:00Z'),
    );
    expect(wallAtOrBefore('0 0 * * *', at('2026-04-30T23:59:59Z'))).toBe(
      at('2026-04-30T00:00:00Z'),
    );
  });

  it('the previous time when the second, the minute or the hour runs out', () => {
    expect(wallAtOrBefore('30 * * * * *', at('2026-05-01T10:05:10Z'))).toBe(
      at('2026-05-01T10:04:30Z'),
    );
    expect(wallAtOrBefore('30 * * * * *', at('2026-05-01T10:00:10Z'))).toBe(
      at('2026-05-01T09:59:30Z'),
    );
    expect(wallAtOrBefore('30 * 0 * * *', at('2026-05-01T00:00:10Z'))).toBe(
      at('2026-04-30T00:59:30Z'),
    );
    expect(wallAtOrBefore('5 0,1 * * *', at('2026-05-01T01:03:00Z'))).toBe(
      at('2026-05-01T00:05:00Z'),
    );
    expect(wallAtOrBefore('5 1 * * *', at('2026-05-01T01:03:00Z'))).toBe(
      at('2026-04-30T01:05:00Z'),
    );
  });

  it('the previous day across a month: to the last day of the month before, or a year back', () => {
    expect(wallAtOrBefore('0 12 * * *', at('2026-02-01T06:00:00Z'))).toBe(
      at('2026-01-31T12:00:00Z'),
    );
    expect(wallAtOrBefore('0 12 * 1,2 *', at('2026-02-01T06:00:00Z'))).toBe(
      at('2026-01-31T12:00:00Z'),
    );
    expect(wallAtOrBefore('0 12 * 2 *', at('2026-02-01T06:00:00Z'))).toBe(
      at('2025-02-28T12:00:00Z'),
    );
    expect(wallAtOrBefore('0 12 * 2,11 *', at('2026-01-10T06:00:00Z'))).toBe(
      at('2025-11-30T12:00:00Z'),
    );
    expect(wallAtOrBefore('0 12 * 12 *', at('2026-01-01T06:00:00Z'))).toBe(
      at('2025-12-31T12:00:00Z'),
    );
  });

  it('the next time when the second, the minute or the hour runs out', () => {
    expect(wallAfter('30 * * * * *', at('2026-05-01T10:05:40Z'))).toBe(at('2026-05-01T10:06:30Z'));
    expect(wallAfter('30 * * * * *', at('2026-05-01T10:59:40Z'))).toBe(at('2026-05-01T11:00:30Z'));
    expect(wallAfter('30 59 23 * * *', at('2026-05-01T23:59:40Z'))).toBe(
      at('2026-05-02T23:59:30Z'),
    );
    expect(wallAfter('5 0,23 * * *', at('2026-05-01T00:06:00Z'))).toBe(at('2026-05-01T23:05:00Z'));
  });

  it('both day fields named, one of them every weekday: every day', () => {
    const from = at('2026-06-01T00:00:00Z');
    expect(wallAfter('0 0 15 * 0-6', from)).toBe(at('2026-06-02T00:00:00Z'));
    expect(wallAfter('0 0 15 * 1-7', from)).toBe(at('2026-06-02T00:00:00Z'));
    expect(wallAtOrBefore('0 0 15 * 0-6', from - 1)).toBe(at('2026-05-31T00:00:00Z'));
  });

  it('either day field, when both are named; 7 is Sunday', () => {
    // 1 June 2026 is a Monday; the 15th a Monday too; 7 June a Sunday.
    expect(wallAfter('0 0 13 * 7', at('2026-06-01T00:00:00Z'))).toBe(at('2026-06-07T00:00:00Z'));
    expect(wallAfter('0 0 2 * 7', at('2026-06-01T00:00:00Z'))).toBe(at('2026-06-02T00:00:00Z'));
    expect(wallAfter('0 0 * * 7', at('2026-06-01T00:00:00Z'))).toBe(at('2026-06-07T00:00:00Z'));
    expect(wallAfter('0 0 2 * *', at('2026-06-01T00:00:00Z'))).toBe(at('2026-06-02T00:00:00Z'));
  });
});
