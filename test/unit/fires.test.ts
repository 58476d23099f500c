// The DST rules of fires.ts on the cases the corpus found wrong in the cron-parser-based
// engine, written out by hand from the zones' rules (what the engine fires, what the
// preview shows, what catch-up looks back to).
import { describe, expect, it } from 'vitest';
import {
  isFixedTime,
  nextFireDetails,
  nextFireTimes,
  previousFireTime,
} from '../../src/shared/fires';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const next = (cron: string, zone: string, from: string, count: number) =>
  nextFireTimes(cron, zone, at(from), count).map(iso);

describe("cronie's wildcard test", () => {
  it('a job is a wildcard job only when its minute or hour field starts with *', () => {
    expect(isFixedTime('30 2 * * *')).toBe(true);
    expect(isFixedTime('0,30 1-3 * * *')).toBe(true);
    expect(isFixedTime('0 0-4/2 * * *')).toBe(true);
    expect(isFixedTime('5/20 2 * * *')).toBe(true);
    expect(isFixedTime('*/10 30 2 * * *')).toBe(true); // seconds do not count
    expect(isFixedTime('@daily')).toBe(true);
    expect(isFixedTime('* 2 * * *')).toBe(false);
    expect(isFixedTime('*/15 2 * * *')).toBe(false);
    expect(isFixedTime('0 * * * *')).toBe(false);
    expect(isFixedTime('@hourly')).toBe(false);
  });
});

describe('America/New_York, spring forward (2026-03-08, 02:00 EST -> 03:00 EDT)', () => {
  it('a fixed-time job runs every named time of the gap, each moved by the gap', () => {
    // 5/20 in minute 02: 02:05, 02:25, 02:45 -> 03:05, 03:25, 03:45 EDT (the old engine
    // kept only the first).
    expect(next('5/20 2 * * *', 'America/New_York', '2026-03-08T05:00:00Z', 4)).toEqual([
      '2026-03-08T07:05:00Z',
      '2026-03-08T07:25:00Z',
      '2026-03-08T07:45:00Z',
      '2026-03-09T06:05:00Z',
    ]);
    expect(next('*/10 30 2 * * *', 'America/New_York', '2026-03-08T05:00:00Z', 7)).toEqual([
      '2026-03-08T07:30:00Z',
      '2026-03-08T07:30:10Z',
      '2026-03-08T07:30:20Z',
      '2026-03-08T07:30:30Z',
      '2026-03-08T07:30:40Z',
      '2026-03-08T07:30:50Z',
      '2026-03-09T06:30:00Z',
    ]);
  });

  it('a wildcard job in the skipped hour does not run that day (every minute of 02:00)', () => {
    expect(next('* 2 * * *', 'America/New_York', '2026-03-08T05:00:00Z', 2)).toEqual([
      '2026-03-09T06:00:00Z',
      '2026-03-09T06:01:00Z',
    ]);
  });

  it('the preview marks the moved fire and says which local time it stands for', () => {
    const [moved, plain] = nextFireDetails(
      '30 2 * * *',
      'America/New_York',
      at('2026-03-07T12:00:00Z'),
      2,
    );
    expect(moved).toEqual({
      at: at('2026-03-08T07:30:00Z'), // 03:30 EDT
      named: at('2026-03-08T02:30:00Z'), // 02:30 read as UTC
      moved: true,
    });
    expect(plain?.moved).toBe(false);
  });
});

describe('America/New_York, fall back (2026-11-01, 02:00 EDT -> 01:00 EST)', () => {
  it('a wildcard job runs every minute of both 01:00 hours', () => {
    const fires = next('* 1 * * *', 'America/New_York', '2026-11-01T04:59:00Z', 120);
    expect(fires[0]).toBe('2026-11-01T05:00:00Z'); // 01:00 EDT
    expect(fires[60]).toBe('2026-11-01T06:00:00Z'); // 01:00 EST
    expect(fires[119]).toBe('2026-11-01T06:59:00Z');
  });
});

describe('Australia/Lord_Howe: the half-hour changes', () => {
  it('30 2 * * * on the spring day is not moved: 02:30 exists (the gap is 02:00-02:30)', () => {
    // 2018-10-07 02:00 LHST (+10:30) -> 02:30 LHDT (+11). The old engine fired at 03:30.
    expect(next('30 2 * * *', 'Australia/Lord_Howe', '2018-10-06T12:00:00Z', 2)).toEqual([
      '2018-10-06T15:30:00Z',
      '2018-10-07T15:30:00Z',
    ]);
  });

  it('catch-up looks back across the change back to the last fire', () => {
    // Sunday 2026-04-05 12:00 LHST (+10:30) is 01:30Z.
    expect(
      iso(
        previousFireTime('0 12 * * 7', 'Australia/Lord_Howe', at('2026-04-10T00:00:00Z')) as number,
      ),
    ).toBe('2026-04-05T01:30:00Z');
  });
});

describe('America/Sao_Paulo: changes at midnight (2018-11-04 and 2019-02-17)', () => {
  it('midnight that never happens runs at 01:00; 23:30 that happens twice runs once', () => {
    expect(next('0 0 * * *', 'America/Sao_Paulo', '2018-11-03T12:00:00Z', 2)).toEqual([
      '2018-11-04T03:00:00Z', // 01:00 -02
      '2018-11-05T02:00:00Z',
    ]);
    expect(next('30 23 * * *', 'America/Sao_Paulo', '2019-02-16T12:00:00Z', 2)).toEqual([
      '2019-02-17T01:30:00Z', // the first 23:30 (-02); the second (-03) at 02:30Z is skipped
      '2019-02-18T02:30:00Z',
    ]);
  });
});

describe('previous fires mirror the next ones', () => {
  it('moved, repeated and plain fires, in every test zone', () => {
    const cases: [string, string, string][] = [
      ['30 2 * * *', 'America/New_York', '2026-03-01T00:00:00Z'],
      ['5/20 2 * * *', 'America/New_York', '2026-03-01T00:00:00Z'],
      ['30 1 * * *', 'America/New_York', '2026-10-25T00:00:00Z'],
      ['*/20 1 * * *', 'America/New_York', '2026-10-31T00:00:00Z'],
      ['45 2 * * *', 'Pacific/Chatham', '2026-09-20T00:00:00Z'],
      ['0 12 * * 7', 'Australia/Lord_Howe', '2026-03-20T00:00:00Z'],
      ['15 2 * * *', 'Australia/Lord_Howe', '2026-09-28T00:00:00Z'],
      ['0 0 * * *', 'America/Sao_Paulo', '2018-10-30T00:00:00Z'],
    ];
    for (const [cron, zone, from] of cases) {
      const fires = nextFireTimes(cron, zone, at(from), 40);
      for (let i = 1; i < fires.length; i++) {
        const f = fires[i] as number;
        expect(previousFireTime(cron, zone, f), `${cron} ${zone} ${iso(f)}`).toBe(f);
        expect(previousFireTime(cron, zone, f - 1), `${cron} ${zone} before ${iso(f)}`).toBe(
          fires[i - 1],
        );
      }
    }
  });
});
