// The cron validator's answers a person reads (the field, the rule, the text given), the
// values each field selects (as the systemd and crontab writers and the engine read them),
// and the zone spellings the editor keeps.
import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  cronError,
  cronFieldSets,
  expandMacros,
  nextFireTimes,
} from '../../src/shared/cron';

const sorted = (set: Set<number> | null) => (set === null ? null : [...set].sort((a, b) => a - b));

describe('expandMacros', () => {
  it('a macro in any case becomes its five fields; anything else is left as written', () => {
    expect(expandMacros(' @Weekly ')).toBe('0 0 * * 0');
    expect(expandMacros('@midnight')).toBe('0 0 * * *');
    expect(expandMacros('@reboot')).toBe('@reboot');
    expect(expandMacros(' 0 3 * * * ')).toBe('0 3 * * *');
    // Not looked up as a macro: a text named like an object's own property stays text.
    expect(expandMacros('constructor')).toBe('constructor');
  });
});

describe('cronError: the message names the field, the rule and the text', () => {
  it('a value that is not a number, in a field with names and in one without', () => {
    expect(cronError('x * * * *')).toBe("minute must be a number 0-59, got 'x'");
    expect(cronError('5x * * * *')).toBe("minute must be a number 0-59, got '5x'");
    expect(cronError('0 x5 * * *')).toBe("hour must be a number 0-23, got 'x5'");
    expect(cronError('0 0 * * FUN')).toBe(
      "day-of-week must be a number 0-7 or a name (SUN-SAT), got 'FUN'",
    );
  });

  it('two steps, a step that is not a whole number, a step past the range', () => {
    expect(cronError('*/2/3 * * * *')).toBe("minute has two steps in '*/2/3'");
    expect(cronError('*/2x * * * *')).toBe("minute step must be a positive integer, got '2x'");
    expect(cronError('*/x2 * * * *')).toBe("minute step must be a positive integer, got 'x2'");
    expect(cronError('*/-1 * * * *')).toBe("minute step must be a positive integer, got '-1'");
    expect(cronError('0 */24 * * *')).toBe('hour step must be 1-23, got 24');
    expect(cronError('*/1 * * * *')).toBeNull();
    expect(cronError('0 */23 * * *')).toBeNull();
  });

  it('a range that is not two values joined by one dash', () => {
    expect(cronError('1-2-3 * * * *')).toBe("minute range '1-2-3' must look like 1-5");
    expect(cronError('-5 * * * *')).toBe("minute range '-5' must look like 1-5");
    expect(cronError('5- * * * *')).toBe("minute range '5-' must look like 1-5");
    expect(cronError('0 0 1 JAN-x *')).toBe(
      "month must be a number 1-12 or a name (JAN-DEC), got 'x'",
    );
    // A range of one value is a range.
    expect(cronError('5-5 * * * *')).toBeNull();
  });

  it('a step with no value before it', () => {
    expect(cronError('/5 * * * *')).toBe("minute is missing a value in '/5'");
    expect(cronError('0 1,/2 * * *')).toBe("hour is missing a value in '/2'");
  });

  it('a day that no named month has: the smallest day and every month named', () => {
    expect(cronError('0 0 31,30 2 *')).toBe(
      'never fires: day-of-month 30 does not occur in February',
    );
    expect(cronError('0 0 31 4,6,9 *')).toBe(
      'never fires: day-of-month 31 does not occur in April, June, September',
    );
    // One named month or one named day that exists is enough.
    expect(cronError('0 0 31 1,2 *')).toBeNull();
    expect(cronError('0 0 30,31 4 *')).toBeNull();
    expect(cronError('0 0 30 2 MON')).toBeNull();
  });

  it('an unknown macro lists the ones there are', () => {
    expect(cronError('@reboot')).toBe(
      "unknown macro '@reboot'; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly",
    );
  });

  it('fields may be set apart by several spaces or tabs', () => {
    expect(cronError('0  3\t* *   *')).toBeNull();
    expect(cronError('0 0  3\t* *   *')).toBeNull();
    expect(cronError('0  3 *')).toBe('expected 5 or 6 fields, got 3');
  });

  it('`?` stands for every day, and `?/2` steps from the first day', () => {
    expect(cronError('0 0 ? * MON')).toBeNull();
    expect(cronError('0 0 * * ?')).toBeNull();
    expect(cronError('0 0 ?/2 * *')).toBeNull();
    expect(cronError('? 0 * * *')).toBe("minute must be a number 0-59, got '?'");
  });
});

describe('cronFieldSets: the values each field selects', () => {
  it('five fields: no seconds field, `*` selects everything', () => {
    expect(cronFieldSets('* * * * *')).toEqual({
      second: null,
      minute: null,
      hour: null,
      dayOfMonth: null,
      month: null,
      dayOfWeek: null,
      hasSeconds: false,
      daysEither: false,
    });
    expect(cronFieldSets('5 * * * *').second).toBeNull();
  });

  it('six fields start with seconds', () => {
    const f = cronFieldSets('30 0 12 * * *');
    expect(sorted(f.second)).toEqual([30]);
    expect(sorted(f.minute)).toEqual([0]);
    expect(sorted(f.hour)).toEqual([12]);
    expect(f.hasSeconds).toBe(true);
    // Each field read with its own range and names.
    const named = cronFieldSets('0 0 0 31 JAN SUN');
    expect(sorted(named.hour)).toEqual([0]);
    expect(sorted(named.dayOfMonth)).toEqual([31]);
    expect(sorted(named.month)).toEqual([1]);
    expect(sorted(named.dayOfWeek)).toEqual([0]);
  });

  it('lists, ranges, steps from a value to the end of the field, and steps over a range', () => {
    const f = cronFieldSets('5/15 1-3,20 */10 2-8/3 *');
    expect(sorted(f.minute)).toEqual([5, 20, 35, 50]);
    expect(sorted(f.hour)).toEqual([1, 2, 3, 20]);
    expect(sorted(f.dayOfMonth)).toEqual([1, 11, 21, 31]);
    expect(sorted(f.month)).toEqual([2, 5, 8]);
    expect(sorted(cronFieldSets('0 0 ?/10 * *').dayOfMonth)).toEqual([1, 11, 21, 31]);
    expect(sorted(cronFieldSets('5-5 * * * *').minute)).toEqual([5]);
  });

  it('month and weekday names: JAN is 1, SUN is 0; 7 is Sunday too', () => {
    expect(sorted(cronFieldSets('0 0 1 jan,Dec *').month)).toEqual([1, 12]);
    expect(sorted(cronFieldSets('0 0 1 FEB-APR *').month)).toEqual([2, 3, 4]);
    expect(sorted(cronFieldSets('0 0 * * SUN,sat').dayOfWeek)).toEqual([0, 6]);
    expect(sorted(cronFieldSets('0 0 * * MON-WED').dayOfWeek)).toEqual([1, 2, 3]);
    expect(sorted(cronFieldSets('0 0 * * 5-7').dayOfWeek)).toEqual([0, 5, 6]);
  });

  it('every weekday named is no restriction at all', () => {
    expect(cronFieldSets('0 0 * * 0-6').dayOfWeek).toBeNull();
    expect(cronFieldSets('0 0 * * 1-7').dayOfWeek).toBeNull();
    expect(cronFieldSets('0 0 1 * 0-7').daysEither).toBe(true);
  });

  it('both day fields restricted means either; `?` and `*` restrict nothing', () => {
    expect(cronFieldSets('0 0 1 * MON').daysEither).toBe(true);
    const q = cronFieldSets('0 0 ? * MON');
    expect(q.dayOfMonth).toBeNull();
    expect(q.daysEither).toBe(false);
    expect(cronFieldSets('0 0 1 * ?').dayOfWeek).toBeNull();
    expect(cronFieldSets('0 0 1 * *').daysEither).toBe(false);
  });

  it('macros and spacing as cronError reads them', () => {
    expect(cronFieldSets('@hourly')).toEqual(cronFieldSets('0 * * * *'));
    expect(sorted(cronFieldSets('0  3\t* * *').hour)).toEqual([3]);
  });

  it('an invalid expression throws the validator’s message', () => {
    expect(() => cronFieldSets('* * *')).toThrow('expected 5 or 6 fields, got 3');
    expect(() => cronFieldSets('')).toThrow('must not be empty');
    expect(() => cronFieldSets('0 0 30 2 *')).toThrow('never fires');
  });

  it('`? * MON` fires on Mondays only (not on every day)', () => {
    // 1 June 2026 is a Monday.
    expect(nextFireTimes('0 0 ? * MON', 'UTC', Date.parse('2026-06-01T00:00:00Z'), 2)).toEqual([
      Date.parse('2026-06-08T00:00:00Z'),
      Date.parse('2026-06-15T00:00:00Z'),
    ]);
  });
});

describe('canonicalTimeZone: only the letter case changes', () => {
  it('a listed zone in any case gets its own spelling', () => {
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('AMERICA/PORT-AU-PRINCE')).toBe('America/Port-au-Prince');
    expect(canonicalTimeZone('America/New_York')).toBe('America/New_York');
  });

  it('a zone the runtime knows under another id keeps its own name, cased', () => {
    expect(canonicalTimeZone('etc/gmt+5')).toBe('Etc/GMT+5');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('asia/kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('ASIA/KOLKATA')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('US/Eastern')).toBe('US/Eastern');
    expect(canonicalTimeZone('us/eastern')).toBe('Us/Eastern');
  });

  it('an unknown zone is returned as given (the validator rejects it)', () => {
    expect(canonicalTimeZone('mars/base')).toBe('mars/base');
  });
});
