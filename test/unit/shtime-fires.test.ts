// cronie's DST rules on fire instants, checked against a plain model: every local time the
// expression names is put on the zone's clock (the offsets of dst.ts); a time that happens
// twice fires twice for a wildcard job and once, the first time, for a fixed-time job; a
// time that never happens is dropped for a wildcard job and moved forward by the gap for a
// fixed-time one. Next and previous fires, near real offset changes of many zones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transitionsBetween, zoneOffset } from '../../src/shared/dst';
import {
  isFixedTime,
  nextFireDetails,
  nextFireTime,
  nextFireTimes,
  previousFireTime,
  type FireDetail,
} from '../../src/shared/fires';
import { wallAfter, wallAtOrBefore } from '../../src/shared/wall-times';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

/** A local time named as the zone's clock runs it: fires with their instant, in order. */
function modelFiresOf(expr: string, zone: string, named: number, fixed: boolean): FireDetail[] {
  const before = zoneOffset(zone, named - DAY);
  const after = zoneOffset(zone, named + DAY);
  const instants = [...new Set([named - before, named - after])]
    .filter((t) => zoneOffset(zone, t) === named - t)
    .sort((a, b) => a - b);
  if (instants.length === 0) return fixed ? [{ at: named - before, named, moved: true }] : [];
  return (fixed ? instants.slice(0, 1) : instants).map((t) => ({ at: t, named, moved: false }));
}

// No zone is more than 15 hours from UTC: a local time's instants are within that of it.
const SPREAD = 15 * 3_600_000;

/** The model's first `count` fires strictly after `from`. */
function modelNext(expr: string, zone: string, from: number, count: number): FireDetail[] {
  const fixed = isFixedTime(expr);
  const byInstant = new Map<number, FireDetail>();
  for (let named = wallAfter(expr, from - SPREAD); named !== null; named = wallAfter(expr, named)) {
    const found = [...byInstant.keys()].sort((a, b) => a - b);
    if (found.length >= count && named - SPREAD > (found[count - 1] as number)) break;
    for (const f of modelFiresOf(expr, zone, named, fixed)) {
      // A moved fire that lands on a plain one is that plain fire.
      if (f.at > from && (!byInstant.has(f.at) || byInstant.get(f.at)?.moved)) {
        byInstant.set(f.at, f);
      }
    }
  }
  return [...byInstant.values()].sort((a, b) => a.at - b.at).slice(0, count);
}

/** The model's last fire at or before `to`. */
function modelPrevious(expr: string, zone: string, to: number): number | undefined {
  const fixed = isFixedTime(expr);
  let best: number | undefined;
  for (
    let named = wallAtOrBefore(expr, to + SPREAD);
    named !== null;
    named = wallAtOrBefore(expr, named - 1000)
  ) {
    if (best !== undefined && named + SPREAD < best) break;
    for (const f of modelFiresOf(expr, zone, named, fixed)) {
      if (f.at <= to && (best === undefined || f.at > best)) best = f.at;
    }
  }
  return best;
}

const ZONES = [
  'America/New_York',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'Pacific/Chatham',
  'Europe/London',
  'Australia/Sydney',
  'America/Santiago',
  'Asia/Kolkata',
];

// Expressions that name a time every day (five fires within a week), fixed and wildcard.
const expressions = fc
  .tuple(
    fc.constantFrom('', '', '', '0 ', '30 ', '*/30 '),
    fc.constantFrom('0', '30', '*/20', '5/20', '15,45', '*', '0-10/5', '59'),
    fc.constantFrom('2', '1', '0', '23', '*', '1-3', '*/2', '0,2', '2-3/1', '12'),
  )
  .map(([s, m, h]) => `${s}${m} ${h} * * *`);

// Instants around the zones' offset changes (and ordinary days).
const starts = fc
  .tuple(
    fc.constantFrom(...ZONES),
    // 2018: São Paulo still changed at midnight. Few years: each zone-year costs a scan.
    fc.constantFrom(2018, 2025, 2026, 2027),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: -2 * DAY, max: 2 * DAY }),
  )
  .map(([zone, year, which, shift]) => {
    const changes = transitionsBetween(zone, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
    const change = changes[which];
    const base = change ? change.at : Date.UTC(year, which * 3, 15);
    return { zone, from: base + Math.round(shift / 60_000) * 60_000 };
  });

// Fixed seeds: the same inputs on every run (Stryker runs a test only against the mutants
// it covered in its first run).
describe('fires agree with the model near offset changes', () => {
  it('the next fires, with the local time each one stands for and whether it was moved', () => {
    fc.assert(
      fc.property(expressions, starts, (expr, { zone, from }) => {
        const want = modelNext(expr, zone, from, 4);
        expect(nextFireDetails(expr, zone, from, 4)).toEqual(want);
        expect(nextFireTime(expr, zone, from)).toBe(want[0]?.at ?? null);
      }),
      { numRuns: 100, seed: 2026 },
    );
  });

  it('the previous fire, at or before an instant', () => {
    fc.assert(
      fc.property(expressions, starts, (expr, { zone, from }) => {
        const last = modelPrevious(expr, zone, from);
        expect(previousFireTime(expr, zone, from)).toBe(last ?? null);
        if (last !== undefined) {
          expect(previousFireTime(expr, zone, last - 1)).toBe(
            modelPrevious(expr, zone, last - 1) ?? null,
          );
        }
      }),
      { numRuns: 100, seed: 2026 },
    );
  });
});

describe('fires: cases by hand', () => {
  it("cronie's test reads the minute and hour fields, whatever the spacing", () => {
    expect(isFixedTime('0 */2 * * *')).toBe(false);
    expect(isFixedTime('*  2 * * *')).toBe(false);
    expect(isFixedTime('0  2 * * *')).toBe(true);
    expect(isFixedTime('0 0 2 * * *')).toBe(true);
    expect(isFixedTime('* 0 2 * * *')).toBe(true);
    expect(isFixedTime('@daily')).toBe(true);
    expect(isFixedTime('@hourly')).toBe(false);
  });

  it('fires before a bound only; none at all for a bound before the first', () => {
    const from = at('2026-06-01T00:00:00Z');
    expect(nextFireDetails('0 3 * * *', 'UTC', from, 5, at('2026-06-03T03:00:00Z'))).toEqual([
      { at: at('2026-06-01T03:00:00Z'), named: at('2026-06-01T03:00:00Z'), moved: false },
      { at: at('2026-06-02T03:00:00Z'), named: at('2026-06-02T03:00:00Z'), moved: false },
    ]);
    expect(nextFireDetails('0 3 * * *', 'UTC', from, 5, from + 1000)).toEqual([]);
    expect(nextFireTimes('0 3 * * *', 'UTC', from, 0)).toEqual([]);
  });

  it('a fixed-time job moved by a gap, at the start of the gap and past the plain fires', () => {
    // New York, 8 Mar 2026: 02:00 EST -> 03:00 EDT (07:00Z). 02:00 is moved to 03:00 EDT.
    const zone = 'America/New_York';
    expect(nextFireDetails('0 2 * * *', zone, at('2026-03-07T08:00:00Z'), 2)).toEqual([
      { at: at('2026-03-08T07:00:00Z'), named: at('2026-03-08T02:00:00Z'), moved: true },
      { at: at('2026-03-09T06:00:00Z'), named: at('2026-03-09T02:00:00Z'), moved: false },
    ]);
    expect(previousFireTime('0 2 * * *', zone, at('2026-03-08T07:00:00Z'))).toBe(
      at('2026-03-08T07:00:00Z'),
    );
    expect(previousFireTime('0 2 * * *', zone, at('2026-03-08T06:59:59Z'))).toBe(
      at('2026-03-07T07:00:00Z'),
    );
    // From inside the gap, the moved 02:59 still comes (at 03:59 EDT).
    expect(nextFireTime('59 2 * * *', zone, at('2026-03-08T07:30:00Z'))).toBe(
      at('2026-03-08T07:59:00Z'),
    );
    expect(previousFireTime('59 2 * * *', zone, at('2026-03-08T07:59:00Z'))).toBe(
      at('2026-03-08T07:59:00Z'),
    );
    expect(previousFireTime('59 2 * * *', zone, at('2026-03-08T07:58:59Z'))).toBe(
      at('2026-03-07T07:59:00Z'),
    );
  });

  it('a sparse fixed-time job whose only time in a year falls in the gap', () => {
    // 02:30 on 8 March only: in 2026 that day is the spring change in New York.
    const zone = 'America/New_York';
    expect(nextFireDetails('30 2 8 3 *', zone, at('2026-01-01T00:00:00Z'), 2)).toEqual([
      { at: at('2026-03-08T07:30:00Z'), named: at('2026-03-08T02:30:00Z'), moved: true },
      { at: at('2027-03-08T07:30:00Z'), named: at('2027-03-08T02:30:00Z'), moved: false },
    ]);
    expect(previousFireTime('30 2 8 3 *', zone, at('2026-12-01T00:00:00Z'))).toBe(
      at('2026-03-08T07:30:00Z'),
    );
    expect(previousFireTime('30 2 8 3 *', zone, at('2026-03-08T07:29:59Z'))).toBe(
      at('2025-03-08T07:30:00Z'),
    );
  });

  it('just after the repeated hour, a fixed-time job runs again (02:00 EST on 1 Nov)', () => {
    const zone = 'America/New_York';
    expect(nextFireTime('0 2 * * *', zone, at('2026-11-01T00:00:00Z'))).toBe(
      at('2026-11-01T07:00:00Z'),
    );
    expect(nextFireTimes('0 1,2 * * *', zone, at('2026-11-01T04:00:00Z'), 3)).toEqual([
      at('2026-11-01T05:00:00Z'),
      at('2026-11-01T07:00:00Z'),
      at('2026-11-02T06:00:00Z'),
    ]);
    expect(previousFireTime('0 1,2 * * *', zone, at('2026-11-01T06:59:59Z'))).toBe(
      at('2026-11-01T05:00:00Z'),
    );
  });

  it('a moved fire that lands on a plain one is the plain one, once', () => {
    // 02:00 is moved to 03:00 EDT, which the expression names too.
    const zone = 'America/New_York';
    expect(nextFireDetails('0 2,3 * * *', zone, at('2026-03-08T05:00:00Z'), 2)).toEqual([
      { at: at('2026-03-08T07:00:00Z'), named: at('2026-03-08T03:00:00Z'), moved: false },
      { at: at('2026-03-09T06:00:00Z'), named: at('2026-03-09T02:00:00Z'), moved: false },
    ]);
    expect(previousFireTime('0 2,3 * * *', zone, at('2026-03-08T07:30:00Z'))).toBe(
      at('2026-03-08T07:00:00Z'),
    );
    // 03:00, at the gap's end, is no time in the gap: it is not moved by it.
    expect(previousFireTime('0 2,3 * * *', zone, at('2026-03-08T08:30:00Z'))).toBe(
      at('2026-03-08T07:00:00Z'),
    );
  });

  it('a sparse job: the last fire, months back across two changes, is not moved', () => {
    // Noon on 1 October (16:00Z, EDT), asked after the spring change of 2027.
    expect(previousFireTime('0 12 1 10 *', 'America/New_York', at('2027-03-20T00:00:00Z'))).toBe(
      at('2026-10-01T16:00:00Z'),
    );
    expect(nextFireTime('0 12 1 10 *', 'America/New_York', at('2026-10-01T16:00:00Z'))).toBe(
      at('2027-10-01T16:00:00Z'),
    );
  });

  it('a fixed-time job at the end of the repeated hour runs once, the first time', () => {
    // New York, 1 Nov 2026: 02:00 EDT -> 01:00 EST (06:00Z); 01:59 happens at 05:59Z and 06:59Z.
    const zone = 'America/New_York';
    expect(nextFireTimes('59 1 * * *', zone, at('2026-11-01T05:00:00Z'), 2)).toEqual([
      at('2026-11-01T05:59:00Z'),
      at('2026-11-02T06:59:00Z'),
    ]);
    expect(nextFireTimes('59 1 * * *', zone, at('2026-11-01T05:59:00Z'), 1)).toEqual([
      at('2026-11-02T06:59:00Z'),
    ]);
    expect(previousFireTime('59 1 * * *', zone, at('2026-11-01T06:59:00Z'))).toBe(
      at('2026-11-01T05:59:00Z'),
    );
    expect(previousFireTime('0 1 * * *', zone, at('2026-11-01T06:00:00Z'))).toBe(
      at('2026-11-01T05:00:00Z'),
    );
  });
});
