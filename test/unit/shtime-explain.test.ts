// The editor's explanation of a cron expression: each field in words, and the notes on the
// two readings people get wrong (six fields start with seconds; both day fields mean "or").
import { describe, expect, it } from 'vitest';
import { explainCron } from '../../src/shared/cron-explain';

const meanings = (expr: string) => explainCron(expr)?.fields.map((f) => f.meaning);

describe('explainCron', () => {
  it('nothing to explain for an empty or invalid expression', () => {
    expect(explainCron('')).toBeNull();
    expect(explainCron('   ')).toBeNull();
    expect(explainCron('61 * * * *')).toBeNull();
    expect(explainCron('@sometimes')).toBeNull();
  });

  it('five fields: names, values and meanings, with no notes', () => {
    expect(explainCron(' */15 9-17 * * MON-FRI ')).toEqual({
      fields: [
        { field: 'minute', value: '*/15', meaning: 'every 15 minutes' },
        { field: 'hour', value: '9-17', meaning: 'hours 9 to 17' },
        { field: 'day of month', value: '*', meaning: 'every day of the month' },
        { field: 'month', value: '*', meaning: 'every month' },
        { field: 'day of week', value: 'MON-FRI', meaning: 'Monday to Friday' },
      ],
      notes: [],
    });
  });

  it('single values, lists and steps from a start or over a range', () => {
    expect(meanings('5,10 0 1 1 *')).toEqual([
      'minute 5, minute 10',
      'hour 0',
      'day 1',
      'January',
      'any day of the week',
    ]);
    expect(meanings('5/15 0-12/1 ? 1-6/2 0')).toEqual([
      'every 15 minutes from minute 5',
      'every 1 hour from hours 0 to 12',
      'every day of the month',
      'every 2 months from January to June',
      'Sunday',
    ]);
    expect(meanings('0 0 */2 * *')?.[2]).toBe('every 2 days');
  });

  it('months and weekdays by number or by name, in any case; 7 is Sunday', () => {
    expect(meanings('0 0 * 12 7')?.slice(3)).toEqual(['December', 'Sunday']);
    expect(meanings('0 0 * dec sat')?.slice(3)).toEqual(['December', 'Saturday']);
    expect(meanings('0 0 * jan sun')?.slice(3)).toEqual(['January', 'Sunday']);
    expect(meanings('0 0 * 1 0')?.slice(3)).toEqual(['January', 'Sunday']);
    expect(meanings('0 0 * feb-Mar 1-5')?.slice(3)).toEqual([
      'February to March',
      'Monday to Friday',
    ]);
    expect(meanings('0 0 * 2/3 */2')?.slice(3)).toEqual([
      'every 3 months from February',
      'every 2 weekdays',
    ]);
  });

  it('fields set apart by several spaces or tabs', () => {
    expect(meanings('0  9\t* *   MON')).toEqual([
      'minute 0',
      'hour 9',
      'every day of the month',
      'every month',
      'Monday',
    ]);
  });

  it('a macro is explained as the fields it stands for', () => {
    const daily = explainCron('@Daily');
    expect(daily?.notes).toEqual(['@Daily stands for “0 0 * * *”.']);
    expect(daily?.fields.map((f) => `${f.field}=${f.value}`)).toEqual([
      'minute=0',
      'hour=0',
      'day of month=*',
      'month=*',
      'day of week=*',
    ]);
  });

  it('six fields: seconds first, and a note saying so', () => {
    const six = explainCron('30 0 12 * * *');
    expect(six?.fields.map((f) => f.field)).toEqual([
      'second',
      'minute',
      'hour',
      'day of month',
      'month',
      'day of week',
    ]);
    expect(six?.fields[0]?.meaning).toBe('second 30');
    expect(meanings('*/1 * * * * *')?.[0]).toBe('every 1 second');
    expect(meanings('*/5 * * * * *')?.[0]).toBe('every 5 seconds');
    expect(meanings('* * * * * *')?.[0]).toBe('every second');
    expect(six?.notes).toEqual([
      'Six fields are read seconds first: second 30, minute 0, hour 12, day of month *, month *, day of week *. ' +
        'For minute, hour, day, month and weekday, write five fields.',
    ]);
  });

  it('both day fields set: a note that either one fires', () => {
    expect(explainCron('0 9 1,15 * MON')?.notes).toEqual([
      'Day of month and day of week are both set, so it runs on either: day 1, day 15, ' +
        'or Monday (cron joins the two with “or”, not “and”).',
    ]);
    // Only one of them set (or `?`): no note.
    expect(explainCron('0 9 1 * *')?.notes).toEqual([]);
    expect(explainCron('0 9 * * MON')?.notes).toEqual([]);
    expect(explainCron('0 9 ? * MON')?.notes).toEqual([]);
    expect(explainCron('0 9 1 * ?')?.notes).toEqual([]);
    // With seconds, the day fields are still the third and last.
    expect(explainCron('0 0 9 1 * MON')?.notes).toHaveLength(2);
    expect(explainCron('0 0 9 * 1 *')?.notes).toHaveLength(1);
  });
});
