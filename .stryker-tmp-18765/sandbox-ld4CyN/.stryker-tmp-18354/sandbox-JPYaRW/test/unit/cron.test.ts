// @ts-nocheck
// 
import { describe, it, expect } from 'vitest';
import {
  CRON_MACROS,
  cronError,
  nextFireTime,
  nextFireTimes,
  timeZoneError,
} from '../../src/shared/cron';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('cronError: valid expressions', () => {
  it.each([
    '* * * * *',
    '0 3 * * *',
    '*/15 9-17 * * 1-5',
    '5,10,15 0 1 1 *',
    '0 0 1-31/2 * *',
    '5/15 * * * *',
    '0 0 ? * MON',
    '  0 3 * * *  ',
  ])('accepts 5-field %j', (expr) => {
    expect(cronError(expr)).toBeNull();
  });

  it.each(['0 0 3 * * *', '*/10 * * * * *', '30 15 10 * * MON-FRI'])(
    'accepts 6-field (leading seconds) %j',
    (expr) => {
      expect(cronError(expr)).toBeNull();
    },
  );

  it.each(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])(
    'accepts macro %s',
    (macro) => {
      expect(cronError(macro)).toBeNull();
      expect(CRON_MACROS[macro]).toBeDefined();
    },
  );

  it('accepts month names JAN-DEC, in any case', () => {
    for (const m of [
      'JAN',
      'FEB',
      'MAR',
      'APR',
      'MAY',
      'JUN',
      'JUL',
      'AUG',
      'SEP',
      'OCT',
      'NOV',
      'DEC',
    ]) {
      expect(cronError(`0 0 1 ${m} *`)).toBeNull();
    }
    expect(cronError('0 0 1 jan-mar *')).toBeNull();
  });

  it('accepts day names and day ranges', () => {
    expect(cronError('0 9 * * MON-FRI')).toBeNull();
    expect(cronError('0 9 * * SUN,SAT')).toBeNull();
  });

  it('accepts 7 as Sunday in day-of-week', () => {
    expect(cronError('0 0 * * 7')).toBeNull();
  });

  it('accepts day 30 in February when a day-of-week is also given (OR rule)', () => {
    expect(cronError('0 0 30 2 1')).toBeNull();
  });

  it('accepts day 29 in February (leap years exist)', () => {
    expect(cronError('0 0 29 2 *')).toBeNull();
  });
});

describe('cronError: invalid expressions', () => {
  it('rejects an empty expression', () => {
    expect(cronError('')).toBe('must not be empty');
    expect(cronError('   ')).toBe('must not be empty');
  });

  it('rejects an unknown macro and lists the allowed ones', () => {
    const message = cronError('@reboot');
    expect(message).toContain("unknown macro '@reboot'");
    for (const macro of [
      '@yearly',
      '@annually',
      '@monthly',
      '@weekly',
      '@daily',
      '@midnight',
      '@hourly',
    ]) {
      expect(message).toContain(macro);
    }
  });

  it('rejects 7 fields, naming the count', () => {
    expect(cronError('0 0 0 1 1 * 2026')).toMatch(/^expected 5 or 6 fields, got 7$/);
  });

  it('rejects 4 fields, naming the count', () => {
    expect(cronError('0 0 1 1')).toMatch(/^expected 5 or 6 fields, got 4$/);
  });

  it('rejects minute 61 with an exact message', () => {
    expect(cronError('61 * * * *')).toBe('minute must be 0-59, got 61');
  });

  it('rejects hour 24', () => {
    expect(cronError('0 24 * * *')).toBe('hour must be 0-23, got 24');
  });

  it('rejects second 60 in a 6-field expression', () => {
    expect(cronError('60 * * * * *')).toBe('second must be 0-59, got 60');
  });

  it('rejects month 13 and day-of-month 0 and day-of-week 8', () => {
    expect(cronError('0 0 1 13 *')).toBe('month must be 1-12, got 13');
    expect(cronError('0 0 0 * *')).toBe('day-of-month must be 1-31, got 0');
    expect(cronError('0 0 * * 8')).toBe('day-of-week must be 0-7, got 8');
  });

  it('rejects an unknown month name, hinting at names', () => {
    expect(cronError('0 0 1 FOO *')).toBe(
      "month must be a number 1-12 or a name (JAN-DEC), got 'FOO'",
    );
  });

  it('rejects a backwards range', () => {
    expect(cronError('0 17-9 * * *')).toBe(
      'hour range 17-9 goes backwards; write it as two ranges',
    );
  });

  it('rejects a zero step', () => {
    expect(cronError('*/0 * * * *')).toBe("minute step must be a positive integer, got '0'");
  });

  it('rejects an empty list item', () => {
    expect(cronError('1,,2 * * * *')).toBe("minute has an empty list item in '1,,2'");
  });

  it('rejects day 30 of February as never firing', () => {
    const message = cronError('0 0 30 2 *');
    expect(message).toMatch(/^never fires/);
    expect(message).toContain('February');
  });

  it('rejects day 31 in April and June as never firing', () => {
    const message = cronError('0 0 31 4,6 *');
    expect(message).toMatch(/^never fires/);
    expect(message).toContain('April');
    expect(message).toContain('June');
  });
});

describe('timeZoneError', () => {
  it.each(['America/New_York', 'UTC', 'Etc/GMT+5', 'Asia/Kolkata'])('accepts %s', (zone) => {
    expect(timeZoneError(zone)).toBeNull();
  });

  it.each(['Mars/Base', '+05:00', ''])('rejects %j', (zone) => {
    expect(timeZoneError(zone)).toBe(`unknown time zone '${zone}'`);
  });

  it("names the zone in the message: unknown time zone 'Mars/Base'", () => {
    expect(timeZoneError('Mars/Base')).toBe("unknown time zone 'Mars/Base'");
  });
});

describe('nextFireTimes', () => {
  it('fires at 03:00 New York time (EST) on the next day', () => {
    expect(
      nextFireTimes('0 3 * * *', 'America/New_York', at('2026-11-29T18:30:00Z'), 1).map(iso),
    ).toEqual(['2026-11-30T08:00:00.000Z']);
  });

  it('on the spring-forward day, a 02:30 job fires once, at 03:30 EDT', () => {
    const fires = nextFireTimes('30 2 * * *', 'America/New_York', at('2026-03-07T12:00:00Z'), 3);
    expect(fires.map(iso)).toEqual([
      '2026-03-08T07:30:00.000Z', // 03:30 EDT: 02:30 does not exist that day
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('on the fall-back day, a 01:30 job fires once', () => {
    const from = at('2026-11-01T04:00:00Z'); // 00:00 EDT on 2026-11-01
    const to = at('2026-11-02T05:00:00Z'); // 00:00 EST on 2026-11-02
    const fires = nextFireTimes('30 1 * * *', 'America/New_York', from, 5).filter((t) => t < to);
    // Once, at the first 01:30 (EDT), as cronie does; the repeated 01:30 EST is skipped.
    expect(fires.map(iso)).toEqual(['2026-11-01T05:30:00.000Z']);
  });

  it('on the fall-back day, an hourly job fires at both 01:00s', () => {
    const fires = nextFireTimes('0 * * * *', 'America/New_York', at('2026-11-01T04:30:00Z'), 3);
    expect(fires.map(iso)).toEqual([
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T07:00:00.000Z', // 02:00 EST
    ]);
  });

  it('handles a half-hour offset zone: 09:00 in Kolkata is 03:30Z', () => {
    expect(
      nextFireTimes('0 9 * * *', 'Asia/Kolkata', at('2026-05-10T00:00:00Z'), 2).map(iso),
    ).toEqual(['2026-05-10T03:30:00.000Z', '2026-05-11T03:30:00.000Z']);
  });

  it('a leap-day job from 2026 next fires on 2028-02-29', () => {
    expect(nextFireTimes('0 0 29 2 *', 'UTC', at('2026-01-01T00:00:00Z'), 1).map(iso)).toEqual([
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('fires on day-of-month 1 OR on Mondays when both are restricted', () => {
    // 2026-06-02 is a Tuesday.
    const fires = nextFireTimes('0 0 1 * 1', 'UTC', at('2026-06-02T00:00:00Z'), 6);
    expect(fires.map(iso)).toEqual([
      '2026-06-08T00:00:00.000Z',
      '2026-06-15T00:00:00.000Z',
      '2026-06-22T00:00:00.000Z',
      '2026-06-29T00:00:00.000Z',
      '2026-07-01T00:00:00.000Z', // a Wednesday: day-of-month 1
      '2026-07-06T00:00:00.000Z',
    ]);
  });

  it('day 30 of February with a weekday fires on those weekdays in February', () => {
    // 2026-02-02 is a Monday.
    const fires = nextFireTimes('0 0 30 2 1', 'UTC', at('2026-01-01T00:00:00Z'), 3);
    expect(fires.map(iso)).toEqual([
      '2026-02-02T00:00:00.000Z',
      '2026-02-09T00:00:00.000Z',
      '2026-02-16T00:00:00.000Z',
    ]);
  });

  it('day-of-week 7 fires on Sundays', () => {
    // 2026-06-07 is a Sunday.
    expect(nextFireTimes('0 0 * * 7', 'UTC', at('2026-06-02T00:00:00Z'), 2).map(iso)).toEqual([
      '2026-06-07T00:00:00.000Z',
      '2026-06-14T00:00:00.000Z',
    ]);
  });

  it('6-field expressions fire in seconds steps', () => {
    const from = at('2026-01-01T00:00:03Z');
    expect(nextFireTimes('*/10 * * * * *', 'UTC', from, 4).map(iso)).toEqual([
      '2026-01-01T00:00:10.000Z',
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:30.000Z',
      '2026-01-01T00:00:40.000Z',
    ]);
  });

  it('returns instants strictly after fromMs, even when fromMs is itself a fire time', () => {
    const from = at('2026-01-01T03:00:00Z');
    const fires = nextFireTimes('0 3 * * *', 'UTC', from, 3);
    expect(fires.map(iso)).toEqual([
      '2026-01-02T03:00:00.000Z',
      '2026-01-03T03:00:00.000Z',
      '2026-01-04T03:00:00.000Z',
    ]);
    for (const t of fires) expect(t).toBeGreaterThan(from);
  });

  it('expands macros: @hourly fires on the hour', () => {
    expect(nextFireTimes('@hourly', 'UTC', at('2026-01-01T10:15:00Z'), 2).map(iso)).toEqual([
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });

  it.each([
    ['@yearly', ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']],
    ['@annually', ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']],
    ['@monthly', ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']],
    ['@weekly', ['2026-01-04T00:00:00.000Z', '2026-01-11T00:00:00.000Z']], // Sundays
    ['@daily', ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']],
    ['@midnight', ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']],
    ['@hourly', ['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']],
  ])('macro %s fires at the documented instants', (macro, expected) => {
    expect(nextFireTimes(macro, 'UTC', at('2026-01-01T00:00:00Z'), 2).map(iso)).toEqual(expected);
  });

  it('accepts macros in any case, as cronError does', () => {
    for (const macro of ['@DAILY', '@Midnight', ' @hourly ']) {
      expect(cronError(macro)).toBeNull();
      expect(nextFireTimes(macro, 'UTC', at('2026-01-01T00:30:00Z'), 1)).toHaveLength(1);
    }
    expect(nextFireTimes('@DAILY', 'UTC', at('2026-01-01T00:30:00Z'), 1).map(iso)).toEqual([
      '2026-01-02T00:00:00.000Z',
    ]);
  });

  it('returns exactly the number asked for', () => {
    expect(nextFireTimes('* * * * *', 'UTC', at('2026-01-01T00:00:00Z'), 7)).toHaveLength(7);
  });

  it('nextFireTime returns the first of nextFireTimes', () => {
    const from = at('2026-11-29T18:30:00Z');
    expect(nextFireTime('0 3 * * *', 'America/New_York', from)).toBe(at('2026-11-30T08:00:00Z'));
  });
});
