import { describe, it, expect } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import {
  POLICY_DEFAULTS,
  historyQuerySchema,
  listQuerySchema,
  pagingQuerySchema,
  parseInput,
  scheduleCreateSchema,
  schedulePatchSchema,
} from '../../src/shared/schemas';

const VALID = {
  name: 'Nightly backup',
  machine_id: 'local',
  command: 'tar czf /tmp/backup.tgz ~/docs',
  cron: '0 3 * * *',
};

/** Parses and expects a validation error; returns its details.fields. */
function badFields(schema: Parameters<typeof parseInput>[0], value: unknown, what?: string) {
  let caught: unknown;
  try {
    parseInput(schema, value, what);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ApiError);
  const err = caught as ApiError;
  expect(err.code).toBe('validation_error');
  expect(err.status).toBe(400);
  expect(err.details.fields).toBeDefined();
  return err.details.fields as Record<string, string>;
}

describe('parseInput', () => {
  it('returns the parsed value when valid', () => {
    const out = parseInput(scheduleCreateSchema, VALID, 'schedule');
    expect(out.name).toBe('Nightly backup');
    expect(out.cron).toBe('0 3 * * *');
  });

  it('throws a 400 validation_error naming every bad field, with the object kind in the message', () => {
    let caught: unknown;
    try {
      parseInput(
        scheduleCreateSchema,
        { ...VALID, cron: '0 0 0 1 1 * 2026', timezone: 'Mars/Base' },
        'schedule',
      );
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const err = caught as ApiError;
    expect(err.code).toBe('validation_error');
    expect(err.status).toBe(400);
    expect(err.details.fields).toEqual({
      cron: expect.stringMatching(/^expected 5 or 6 fields, got 7$/),
      timezone: "unknown time zone 'Mars/Base'",
    });
    expect(err.message).toMatch(/^Invalid schedule: /);
    expect(err.message).toContain('cron: expected 5 or 6 fields');
    expect(err.message).toContain("timezone: unknown time zone 'Mars/Base'");
    expect(err.toBody().error.code).toBe('validation_error');
  });

  it('treats an absent body as an empty object', () => {
    expect(badFields(scheduleCreateSchema, undefined)).toMatchObject({ name: 'is required' });
  });
});

describe('scheduleCreateSchema', () => {
  it('fills in the documented defaults', () => {
    expect(parseInput(scheduleCreateSchema, VALID)).toEqual({
      ...VALID,
      description: '',
      enabled: true,
      timezone: 'UTC',
      timeout: null,
      notify: {},
      cwd: null,
      env: {},
      overlap: 'skip',
      catch_up: false,
      ...POLICY_DEFAULTS,
    });
  });

  it('keeps explicit values', () => {
    const input = {
      ...VALID,
      description: 'docs',
      enabled: false,
      timezone: 'America/New_York',
      timeout: 60_000,
      notify: { on_success: true },
      cwd: '/var/tmp',
      env: { FOO: 'bar', _X1: '' },
      overlap: 'allow',
      catch_up: true,
      retries: 3,
      retry_delay: 5000,
      retry_backoff: 1.5,
      random_delay: 600_000,
      shell: 'login',
      env_file: '/home/me/.env',
      paused_until: '2026-06-01T09:00:00Z',
      run_on_battery: false,
    };
    expect(parseInput(scheduleCreateSchema, input)).toEqual(input);
  });

  it('trims the name and cron', () => {
    const out = parseInput(scheduleCreateSchema, {
      ...VALID,
      name: '  Backup  ',
      cron: ' @daily ',
    });
    expect(out.name).toBe('Backup');
    expect(out.cron).toBe('@daily');
  });

  it('rejects a blank name', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, name: '   ' })).toEqual({
      name: 'must not be blank',
    });
  });

  it('accepts a 200-character name and rejects 201', () => {
    expect(parseInput(scheduleCreateSchema, { ...VALID, name: 'x'.repeat(200) }).name).toHaveLength(
      200,
    );
    expect(badFields(scheduleCreateSchema, { ...VALID, name: 'x'.repeat(201) })).toEqual({
      name: 'must be at most 200 characters',
    });
  });

  it('names each missing required field', () => {
    expect(badFields(scheduleCreateSchema, {})).toEqual({
      name: 'is required',
      machine_id: 'is required',
      command: 'is required',
      cron: 'is required',
    });
  });

  it('rejects a blank command', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, command: ' \n' })).toEqual({
      command: 'must not be blank',
    });
  });

  it('rejects a command with a NUL byte', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, command: 'echo a\0b' })).toEqual({
      command: 'must not contain NUL bytes',
    });
  });

  it('names wrong types with the value given', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, enabled: 'yes' })).toEqual({
      enabled: 'must be a boolean, got string "yes"',
    });
    expect(badFields(scheduleCreateSchema, { ...VALID, name: 42 })).toEqual({
      name: 'must be a string, got number 42',
    });
    expect(badFields(scheduleCreateSchema, { ...VALID, notify: [] })).toEqual({
      notify: 'must be an object, got an array',
    });
  });

  it('rejects an unknown field by name', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, colour: 'red' })).toEqual({
      colour: 'is not a known field',
    });
  });

  it.each(['id', 'next_run', 'last_run', 'created_at', 'updated_at'])(
    'rejects read-only field %s',
    (field) => {
      expect(badFields(scheduleCreateSchema, { ...VALID, [field]: 'x' })).toEqual({
        [field]: 'is read-only',
      });
    },
  );

  it('rejects an unknown key inside notify as notify.<key>', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, notify: { x: true } })).toEqual({
      'notify.x': 'is not a known field',
    });
  });

  it('rejects a non-boolean notify flag', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, notify: { on_failure: 'no' } })).toEqual({
      'notify.on_failure': 'must be a boolean, got string "no"',
    });
  });

  it.each([-1, 0, 999, 604_800_001])('rejects timeout %d as out of range', (timeout) => {
    expect(badFields(scheduleCreateSchema, { ...VALID, timeout })).toEqual({
      timeout: 'must be 1000..604800000 ms or null for no limit',
    });
  });

  it('rejects a fractional timeout', () => {
    const fields = badFields(scheduleCreateSchema, { ...VALID, timeout: 1500.5 });
    expect(Object.keys(fields)).toEqual(['timeout']);
    expect(fields.timeout).toMatch(/^must be a whole number/);
  });

  it('rejects a timeout given as a string', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, timeout: '5000' })).toEqual({
      timeout: 'must be a number, got string "5000"',
    });
  });

  it('accepts timeout null and the bounds', () => {
    expect(parseInput(scheduleCreateSchema, { ...VALID, timeout: null }).timeout).toBeNull();
    expect(parseInput(scheduleCreateSchema, { ...VALID, timeout: 1000 }).timeout).toBe(1000);
    expect(parseInput(scheduleCreateSchema, { ...VALID, timeout: 604_800_000 }).timeout).toBe(
      604_800_000,
    );
  });

  it('rejects a relative cwd and accepts absolute ones', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, cwd: 'projects/app' })).toEqual({
      cwd: 'must be an absolute path',
    });
    expect(badFields(scheduleCreateSchema, { ...VALID, cwd: '~/app' })).toEqual({
      cwd: 'must be an absolute path',
    });
    expect(parseInput(scheduleCreateSchema, { ...VALID, cwd: '/home/me' }).cwd).toBe('/home/me');
    expect(parseInput(scheduleCreateSchema, { ...VALID, cwd: 'C:\\Users\\me' }).cwd).toBe(
      'C:\\Users\\me',
    );
  });

  it('rejects env keys that are not variable names, naming the key', () => {
    const fields = badFields(scheduleCreateSchema, {
      ...VALID,
      env: { GOOD: '1', '1BAD': 'x', 'A-B': 'y' },
    });
    expect(Object.keys(fields).sort()).toEqual(['env.1BAD', 'env.A-B']);
    expect(fields['env.1BAD']).toMatch(/^must be a variable name/);
  });

  it('rejects non-string env values', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, env: { PORT: 8080 } })).toEqual({
      'env.PORT': 'must be a string, got number 8080',
    });
  });

  it('rejects an invalid overlap', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, overlap: 'queue' })).toEqual({
      overlap: "must be 'skip' or 'allow'",
    });
  });

  it('rejects an invalid cron with the cron message', () => {
    expect(badFields(scheduleCreateSchema, { ...VALID, cron: '61 * * * *' })).toEqual({
      cron: 'minute must be 0-59, got 61',
    });
  });

  it.each([
    [[], 'must be a JSON object, got an array'],
    [null, 'must be a JSON object, got null'],
    ['hello', 'must be a JSON object, got string "hello"'],
    [7, 'must be a JSON object, got number 7'],
  ])('rejects body %j as not an object', (body, message) => {
    expect(badFields(scheduleCreateSchema, body)).toEqual({ body: message });
  });

  it('names several bad fields at once', () => {
    const fields = badFields(scheduleCreateSchema, {
      name: '',
      machine_id: 'local',
      command: 'true',
      cron: '* * *',
      timezone: '+05:00',
      id: 'sched_x',
      extra: 1,
    });
    expect(Object.keys(fields).sort()).toEqual(['cron', 'extra', 'id', 'name', 'timezone']);
  });
});

describe('the run policy fields', () => {
  it.each([
    ['retries', 11, 'must be 0..10'],
    ['retries', 1.5, 'must be a whole number, got number 1.5'],
    ['retry_delay', 999, 'must be 1000..3600000 ms (1 s to 1 h)'],
    ['retry_delay', 3_600_001, 'must be 1000..3600000 ms (1 s to 1 h)'],
    ['retry_backoff', 0.5, 'must be 1..10'],
    ['random_delay', 3_600_001, 'must be 0..3600000 ms (up to 1 h; 0 = none)'],
    ['random_delay', -1, 'must be 0..3600000 ms (up to 1 h; 0 = none)'],
    ['shell', 'bash', "must be 'login' or 'plain'"],
    ['env_file', '.env', 'must be an absolute path'],
    [
      'paused_until',
      '2026-02-30',
      "must be an ISO 8601 timestamp such as 2026-06-01T09:00:00Z, or null; got '2026-02-30'",
    ],
    ['run_on_battery', 'no', 'must be a boolean, got string "no"'],
  ])('%s = %j: a 400 naming the field and the rule', (field, value, rule) => {
    expect(badFields(scheduleCreateSchema, { ...VALID, [field]: value })).toEqual({
      [field]: rule,
    });
    expect(badFields(schedulePatchSchema, { [field]: value })).toEqual({ [field]: rule });
  });

  it('keeps paused_until in the wire form, whatever zone it was given in', () => {
    expect(parseInput(schedulePatchSchema, { paused_until: '2026-06-01T11:00:00+02:00' })).toEqual({
      paused_until: '2026-06-01T09:00:00Z',
    });
  });
});

describe('schedulePatchSchema', () => {
  it('accepts an empty patch and adds no defaults', () => {
    expect(parseInput(schedulePatchSchema, {})).toEqual({});
  });

  it('accepts any single writable field', () => {
    expect(parseInput(schedulePatchSchema, { enabled: false })).toEqual({ enabled: false });
    expect(parseInput(schedulePatchSchema, { timeout: null })).toEqual({ timeout: null });
    expect(parseInput(schedulePatchSchema, { notify: { on_success: true } })).toEqual({
      notify: { on_success: true },
    });
  });

  it('validates the fields it is given', () => {
    expect(badFields(schedulePatchSchema, { cron: '0 24 * * *', name: ' ' })).toEqual({
      cron: 'hour must be 0-23, got 24',
      name: 'must not be blank',
    });
  });

  it('is strict: unknown and read-only fields are refused', () => {
    expect(badFields(schedulePatchSchema, { nme: 'typo', updated_at: 'x' })).toEqual({
      nme: 'is not a known field',
      updated_at: 'is read-only',
    });
  });
});

describe('listQuerySchema', () => {
  it('defaults to limit 20 offset 0', () => {
    expect(parseInput(listQuerySchema, {})).toEqual({ limit: 20, offset: 0 });
  });

  it('parses limit and offset from query strings', () => {
    expect(parseInput(listQuerySchema, { limit: '100', offset: '40' })).toEqual({
      limit: 100,
      offset: 40,
    });
    expect(parseInput(listQuerySchema, { limit: '1' }).limit).toBe(1);
  });

  it.each(['0', '101', 'abc', '1.5', '-1', ''])(
    'rejects limit %j naming the range 1..100',
    (limit) => {
      const fields = badFields(listQuerySchema, { limit });
      expect(Object.keys(fields)).toEqual(['limit']);
      expect(fields.limit).toBe(`must be an integer between 1 and 100, got '${limit}'`);
    },
  );

  it('rejects a negative or non-integer offset', () => {
    expect(badFields(listQuerySchema, { offset: '-1' })).toEqual({
      offset: "must be an integer >= 0, got '-1'",
    });
    expect(badFields(listQuerySchema, { offset: 'x' })).toEqual({
      offset: "must be an integer >= 0, got 'x'",
    });
  });

  it('parses enabled true/false and rejects anything else', () => {
    expect(parseInput(listQuerySchema, { enabled: 'true' }).enabled).toBe(true);
    expect(parseInput(listQuerySchema, { enabled: 'false' }).enabled).toBe(false);
    expect(parseInput(listQuerySchema, {}).enabled).toBeUndefined();
    expect(badFields(listQuerySchema, { enabled: 'yes' })).toEqual({
      enabled: "must be true or false, got 'yes'",
    });
  });

  it('passes machine_id through', () => {
    expect(parseInput(listQuerySchema, { machine_id: 'mach_abc' }).machine_id).toBe('mach_abc');
  });

  it('ignores an unknown query parameter (the server warns about it)', () => {
    expect(parseInput(listQuerySchema, { page: '2', _: '123' })).toEqual({ limit: 20, offset: 0 });
  });
});

describe('historyQuerySchema', () => {
  it('parses since into epoch ms', () => {
    expect(parseInput(historyQuerySchema, { since: '2024-01-20T03:00:00Z' })).toEqual({
      since: Date.UTC(2024, 0, 20, 3),
      limit: 20,
      offset: 0,
    });
    expect(parseInput(historyQuerySchema, { since: '2024-01-20' }).since).toBe(
      Date.UTC(2024, 0, 20),
    );
  });

  it('leaves since undefined when absent', () => {
    expect(parseInput(historyQuerySchema, {}).since).toBeUndefined();
  });

  it.each(['yesterday', '2024-02-30', '2024-01-20T03:00:00'])('rejects since %j', (since) => {
    expect(badFields(historyQuerySchema, { since })).toEqual({
      since: `must be an ISO 8601 timestamp such as 2024-01-20T03:00:00Z, got '${since}'`,
    });
  });

  it('applies the same paging rules', () => {
    expect(badFields(historyQuerySchema, { limit: '101' })).toEqual({
      limit: "must be an integer between 1 and 100, got '101'",
    });
  });

  it('ignores an unknown query parameter', () => {
    expect(parseInput(historyQuerySchema, { until: 'x' })).toEqual({ limit: 20, offset: 0 });
  });
});

describe('pagingQuerySchema', () => {
  it('defaults and ignores other parameters', () => {
    expect(parseInput(pagingQuerySchema, {})).toEqual({ limit: 20, offset: 0 });
    expect(parseInput(pagingQuerySchema, { enabled: 'true' })).toEqual({ limit: 20, offset: 0 });
  });
});
