// The input rules a hostile or careless client meets: every bad field named (prototype
// names too), text without NUL or broken Unicode, a stated cap on every string, cron steps
// within their field, zones stored canonical. Limits are written as the README documents
// them, not read from the source, so changing one is a visible decision.
import { describe, expect, it } from 'vitest';
import { cronError } from '../../src/shared/cron';
import { ApiError } from '../../src/shared/errors';
import {
  listQuerySchema,
  parseInput,
  scheduleCreateSchema,
  schedulePatchSchema,
} from '../../src/shared/schemas';
import { settingsPatchSchema } from '../../src/shared/settings';

const VALID = { name: 'Backup', machine_id: 'local', command: 'true', cron: '0 3 * * *' };

function fieldsOf(schema: Parameters<typeof parseInput>[0], value: unknown) {
  try {
    parseInput(schema, value);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).details.fields as Record<string, string>;
  }
  throw new Error('expected a validation error');
}

describe('every bad field is named, whatever it is called', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__', ''])(
    'an unknown body key %j',
    (key) => {
      const body = JSON.parse(`{"name":"x",${JSON.stringify(key)}:1}`);
      const fields = fieldsOf(schedulePatchSchema, body);
      expect(Object.hasOwn(fields, key)).toBe(true);
      expect(fields[key]).toBe('is not a known field');
      // Serialised, the key is there: a client reading JSON sees it.
      expect(Object.keys(JSON.parse(JSON.stringify(fields)))).toContain(key);
    },
  );

  it.each(['toString', 'constructor', '__proto__'])('an unknown query key %j is ignored', (key) => {
    const query = Object.assign(Object.create(null), { [key]: '1' });
    expect(listQuerySchema.parse(query)).toEqual({ limit: 20, offset: 0 });
  });

  it('an unknown settings key inside a section', () => {
    const body = JSON.parse('{"history":{"constructor":1}}');
    expect(fieldsOf(settingsPatchSchema, body)).toEqual({
      'history.constructor': 'is not a known field',
    });
  });
});

describe('text fields', () => {
  it.each([
    ['name', 'a\0b'],
    ['description', 'a\0b'],
    ['command', 'echo a\0b'],
    ['cwd', '/tmp/a\0b'],
    ['machine_id', 'loc\0al'],
  ])('%s rejects NUL', (field, value) => {
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, [field]: value })[field]).toBe(
      'must not contain NUL bytes',
    );
  });

  it.each([
    ['name', 'bad \uD800 high'],
    ['name', 'bad \uDC00 low'],
    ['name', 'ends high \uD83D'],
    ['description', '\uDE00 starts low'],
    ['command', 'echo \uD800'],
  ])('%s rejects the unpaired surrogate in %j', (field, value) => {
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, [field]: value })[field]).toMatch(
      /valid Unicode/,
    );
  });

  it('accepts real astral characters (a surrogate pair) and other scripts', () => {
    const out = parseInput(scheduleCreateSchema, { ...VALID, name: 'Backup 😀 日本' });
    expect(out.name).toBe('Backup 😀 日本');
  });

  it('env values reject NUL and unpaired surrogates under their own key', () => {
    const fields = fieldsOf(scheduleCreateSchema, { ...VALID, env: { A: 'a\0', B: '\uD800' } });
    expect(fields).toEqual({
      'env.A': 'must not contain NUL bytes',
      'env.B': expect.stringMatching(/Unicode/),
    });
  });
});

describe('every string has a stated cap', () => {
  const over = (n: number) => 'x'.repeat(n + 1);
  it.each([
    ['name', 200],
    ['description', 2000],
    ['command', 65536],
    ['cwd', 4096],
    ['timezone', 64],
    ['machine_id', 100],
    ['cron', 1000],
  ])('%s: at most %i characters, said in the error', (field, max) => {
    const value = field === 'cwd' ? `/${over(max - 1)}` : over(max);
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, [field]: value })[field]).toBe(
      `must be at most ${max} characters`,
    );
    const ok = field === 'cwd' ? `/${'x'.repeat(max - 1)}` : 'x'.repeat(max);
    if (['name', 'description', 'command', 'cwd'].includes(field)) {
      expect(() => parseInput(scheduleCreateSchema, { ...VALID, [field]: ok })).not.toThrow();
    }
  });

  it('env: names up to 256 characters, values up to 32768, at most 256 variables', () => {
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, env: { [over(256)]: 'v' } })).toEqual({
      [`env.${over(256)}`]: 'variable names must be at most 256 characters',
    });
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, env: { V: over(32768) } })).toEqual({
      'env.V': 'must be at most 32768 characters',
    });
    const many = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`V${i}`, 'x']));
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, env: many })).toEqual({
      env: 'must have at most 256 variables, got 257',
    });
    const max = Object.fromEntries(Array.from({ length: 255 }, (_, i) => [`V${i}`, 'x']));
    const longest = { ...max, [`${'K'.repeat(256)}`]: 'x'.repeat(32768) };
    expect(parseInput(scheduleCreateSchema, { ...VALID, env: longest }).env).toEqual(longest);
  });

  it('the name cap counts after trimming, as the name is stored', () => {
    const out = parseInput(scheduleCreateSchema, { ...VALID, name: `  ${'n'.repeat(200)}  ` });
    expect(out.name).toHaveLength(200);
  });
});

describe('cron steps stay within their field', () => {
  it.each([
    ['*/99999999999 * * * *', 'minute step must be 1-59, got 99999999999'],
    ['0-59/61 * * * *', 'minute step must be 1-59, got 61'],
    ['*/60 * * * *', 'minute step must be 1-59, got 60'],
    ['0 */24 * * *', 'hour step must be 1-23, got 24'],
    ['0 0 */31 * *', 'day-of-month step must be 1-30, got 31'],
    ['0 0 1 */12 *', 'month step must be 1-11, got 12'],
    ['0 0 * * */8', 'day-of-week step must be 1-7, got 8'],
    ['*/60 * * * * *', 'second step must be 1-59, got 60'],
  ])('%s: %s', (expr, reason) => {
    expect(cronError(expr)).toBe(reason);
  });

  it.each([
    '*/59 * * * *',
    '0 */23 * * *',
    '0 0 */30 * *',
    '0 0 1 */11 *',
    '0 0 * * */7',
    '5/15 * * * *',
  ])('%s is still accepted', (expr) => {
    expect(cronError(expr)).toBeNull();
  });
});

describe('time zones are stored canonical', () => {
  it.each([
    ['utc', 'UTC'],
    ['america/new_york', 'America/New_York'],
    ['EUROPE/LONDON', 'Europe/London'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Asia/Kolkata', 'Asia/Kolkata'], // not ICU's older Asia/Calcutta
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['US/Eastern', 'US/Eastern'], // an alias, kept as chosen
    ['america/port-au-prince', 'America/Port-au-Prince'],
  ])('%s is stored as %s', (typed, canonical) => {
    expect(parseInput(scheduleCreateSchema, { ...VALID, timezone: typed }).timezone).toBe(
      canonical,
    );
    expect(parseInput(schedulePatchSchema, { timezone: typed }).timezone).toBe(canonical);
  });

  it('unknown zones are still refused by name', () => {
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, timezone: 'Mars/Base' })).toEqual({
      timezone: "unknown time zone 'Mars/Base'",
    });
  });
});
