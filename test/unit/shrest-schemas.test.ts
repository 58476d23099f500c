// The input rules a caller meets through the schemas: the words of each error, the field it
// is filed under, and what a valid value becomes. Complements schemas.test.ts and
// input-rules.test.ts (alert URLs, query parsing, batches, settings, backup file names).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notifyTestSchema } from '../../src/shared/alerts-api';
import { BACKUP_NAME, restoreSchema } from '../../src/shared/backups';
import { BATCH_MAX, batchSchema } from '../../src/shared/batch';
import { ApiError } from '../../src/shared/errors';
import {
  describeIssues,
  issuesToFields,
  listQuerySchema,
  parseInput,
  scheduleCreateSchema,
  storedFieldsSchema,
} from '../../src/shared/schemas';
import {
  CMDOP_CLOUD_URL,
  remoteTestSchema,
  remoteUrlError,
  settingsPatchSchema,
} from '../../src/shared/settings';

const VALID = { name: 'n', machine_id: 'local', command: 'true', cron: '0 3 * * *' };
const NOT_WEB = 'must be an http:// or https:// URL such as https://hooks.slack.com/services/…';
const PLAIN_HTTP =
  'plain http is only sent to this machine (localhost, 127.0.0.1, ::1); use https, ' +
  'or set notify.allow_http to true to send it unencrypted';

function fieldsOf(schema: Parameters<typeof parseInput>[0], value: unknown, what?: string) {
  try {
    parseInput(schema, value, what);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return { fields: (e as ApiError).details.fields ?? {}, message: (e as Error).message };
  }
  throw new Error('expected a validation error');
}

describe('alert URLs in notify', () => {
  it('refuses a URL that is not http(s), under notify.webhook_url or notify.ping_url', () => {
    const { fields } = fieldsOf(scheduleCreateSchema, {
      ...VALID,
      notify: { webhook_url: 'ftp://example.com/hook', ping_url: 'mailto:me@example.com' },
    });
    expect(fields).toEqual({ 'notify.webhook_url': NOT_WEB, 'notify.ping_url': NOT_WEB });
  });

  it('refuses plain http to another host unless allow_http, naming the field', () => {
    const notify = { webhook_url: 'http://example.com/hook' };
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, notify }).fields).toEqual({
      'notify.webhook_url': PLAIN_HTTP,
    });
    const allowed = scheduleCreateSchema.parse({
      ...VALID,
      notify: { ...notify, allow_http: true },
    });
    expect(allowed.notify).toEqual({ ...notify, allow_http: true });
    const local = { webhook_url: 'http://127.0.0.1:9000/hook' };
    expect(scheduleCreateSchema.parse({ ...VALID, notify: local }).notify).toEqual(local);
  });

  it('names a bad URL and a plain-http one together, and the other bad fields too', () => {
    const { fields } = fieldsOf(scheduleCreateSchema, {
      ...VALID,
      cron: '99 * * * *',
      notify: { webhook_url: 'ftp://x', ping_url: 'http://example.com/ping' },
    });
    expect(fields).toEqual({
      cron: 'minute must be 0-59, got 99',
      'notify.webhook_url': NOT_WEB,
      'notify.ping_url': PLAIN_HTTP,
    });
  });

  it('holds stored schedules to the same whole-notify rule', () => {
    const stored = {
      ...VALID,
      description: '',
      enabled: true,
      timezone: 'UTC',
      timeout: null,
      notify: { on_success: false, on_failure: true, ping_url: 'http://example.com/p' },
      cwd: null,
      env: {},
      overlap: 'skip',
      catch_up: false,
    };
    const result = storedFieldsSchema.safeParse(stored, { reportInput: true });
    expect(result.success).toBe(false);
    expect(issuesToFields(result.error?.issues ?? [])).toEqual({ 'notify.ping_url': PLAIN_HTTP });
  });

  it('the send-test body takes a notify patch and nothing else', () => {
    expect(notifyTestSchema.parse({})).toEqual({});
    expect(fieldsOf(notifyTestSchema, { notify: { ping_url: 'nope' } }).fields).toEqual({
      'notify.ping_url': NOT_WEB,
    });
    expect(fieldsOf(notifyTestSchema, { url: 'x' }).fields).toEqual({
      url: 'is not a known field',
    });
  });
});

describe('describeIssues', () => {
  it('joins every field and its rule into one sentence', () => {
    const result = scheduleCreateSchema.safeParse({
      ...VALID,
      cron: '99 * * * *',
      timezone: 'Mars/Base',
    });
    expect(describeIssues(result.error?.issues ?? [])).toBe(
      "cron: minute must be 0-59, got 99; timezone: unknown time zone 'Mars/Base'",
    );
  });
});

describe('query parameters', () => {
  it('reads a whole number with spaces around it', () => {
    expect(listQuerySchema.parse({ limit: ' 5 ', offset: '7 ' })).toMatchObject({
      limit: 5,
      offset: 7,
    });
  });

  it('refuses what Number() would read but is not digits: hex, exponents', () => {
    for (const raw of ['0x10', '1e1']) {
      expect(fieldsOf(listQuerySchema, { limit: raw }).fields).toEqual({
        limit: `must be an integer between 1 and 100, got '${raw}'`,
      });
    }
    expect(fieldsOf(listQuerySchema, { offset: '1e3' }).fields).toEqual({
      offset: "must be an integer >= 0, got '1e3'",
    });
  });

  it('takes enabled as a JSON boolean as well as the words', () => {
    expect(listQuerySchema.parse({ enabled: true }).enabled).toBe(true);
    expect(listQuerySchema.parse({ enabled: false }).enabled).toBe(false);
    expect(listQuerySchema.parse({ enabled: 'true' }).enabled).toBe(true);
    expect(fieldsOf(listQuerySchema, { enabled: 'yes' }).fields).toEqual({
      enabled: "must be true or false, got 'yes'",
    });
  });
});

describe('issuesToFields', () => {
  it('says an object was given where a string belongs', () => {
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, name: { first: 'x' } }).fields).toEqual({
      name: 'must be a string, got an object',
    });
  });

  it('files the fields under a prefix when given one', () => {
    const result = settingsPatchSchema.safeParse({ paused: 'yes' }, { reportInput: true });
    expect(issuesToFields(result.error?.issues ?? [], 'settings')).toEqual({
      'settings.paused': 'must be a boolean, got string "yes"',
    });
  });

  it('calls the request a request when no kind is named', () => {
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, cron: '' }).message).toMatch(
      /^Invalid request: cron: /,
    );
  });

  it('a server-computed name two objects deep (not a batch item) is just unknown', () => {
    const nested = z.object({ meta: z.object({ extra: z.strictObject({}) }) });
    expect(fieldsOf(nested, { meta: { extra: { id: 'x' } } }).fields).toEqual({
      'meta.extra.id': 'is not a known field',
    });
  });

  it('a server-computed name inside notify is just unknown, not read-only', () => {
    expect(fieldsOf(scheduleCreateSchema, { ...VALID, notify: { id: 'x' } }).fields).toEqual({
      'notify.id': 'is not a known field',
    });
  });
});

describe('batchSchema', () => {
  it('refuses read-only fields of each item by name, and unknown ones inside its notify', () => {
    const { fields } = fieldsOf(batchSchema, {
      items: [VALID, { ...VALID, next_run: null, notify: { stats: 1 } }],
    });
    expect(fields).toEqual({
      'items.1.next_run': 'is read-only',
      'items.1.notify.stats': 'is not a known field',
    });
  });

  it('keeps an exported id and timestamps, and checks their form', () => {
    const item = {
      ...VALID,
      id: 'sched_abc123',
      created_at: '2026-01-02T03:04:05Z',
      updated_at: '2026-01-02T03:04:06Z',
    };
    const parsed = batchSchema.parse({ items: [item] });
    expect(parsed.items[0]).toMatchObject({
      id: 'sched_abc123',
      created_at: Date.parse('2026-01-02T03:04:05Z'),
      updated_at: Date.parse('2026-01-02T03:04:06Z'),
    });
    for (const id of ['abc123', 'sched_', 'sched_a-b', 'xsched_abc', `sched_${'a'.repeat(65)}`]) {
      expect(fieldsOf(batchSchema, { items: [{ ...VALID, id }] }).fields).toEqual({
        'items.0.id': 'must be a schedule id such as sched_abc123',
      });
    }
    expect(
      batchSchema.parse({ items: [{ ...VALID, id: `sched_${'a'.repeat(64)}` }] }).items,
    ).toHaveLength(1);
    expect(fieldsOf(batchSchema, { items: [{ ...VALID, created_at: 'monday' }] }).fields).toEqual({
      'items.0.created_at':
        "must be an ISO 8601 timestamp such as 2024-01-20T03:00:00Z, got 'monday'",
    });
  });

  it('needs an array of 1 to 1000 schedules', () => {
    expect(fieldsOf(batchSchema, { items: {} }).fields).toEqual({
      items: 'must be an array, got an object',
    });
    expect(fieldsOf(batchSchema, { items: [] }).fields).toEqual({
      items: 'must hold at least one schedule',
    });
    const many = Array.from({ length: BATCH_MAX + 1 }, () => VALID);
    expect(fieldsOf(batchSchema, { items: many }).fields).toEqual({
      items: 'must hold at most 1000 schedules; send more batches',
    });
    expect(batchSchema.parse({ items: many.slice(1) }).items).toHaveLength(BATCH_MAX);
  });
});

describe('the Cmdop API URL in settings', () => {
  it('takes https anywhere and plain http on loopback only', () => {
    for (const url of [
      CMDOP_CLOUD_URL,
      'https://cmdop.example.com/api/v1',
      'http://127.0.0.1:8080/v1',
      'http://localhost:9/v1',
      'http://[::1]:9/v1',
    ]) {
      expect(remoteUrlError(url)).toBeNull();
      expect(settingsPatchSchema.parse({ remote: { url } })).toEqual({ remote: { url } });
    }
  });

  it('names the rule for plain http elsewhere and for other schemes', () => {
    const rule = 'must use https (plain http is accepted for 127.0.0.1 only)';
    for (const url of ['http://example.com/v1', 'ftp://127.0.0.1/v1', 'ws://localhost/v1']) {
      expect(remoteUrlError(url)).toBe(rule);
      expect(fieldsOf(settingsPatchSchema, { remote: { url } }).fields).toEqual({
        'remote.url': rule,
      });
    }
  });

  it('shows both URL forms when it is not a URL at all', () => {
    const rule =
      'must be a URL such as https://api.cmdop.com/v1 or https://cmdop.example.com/api/v1';
    expect(remoteUrlError('api.cmdop.com')).toBe(rule);
    expect(fieldsOf(remoteTestSchema, { url: 'not a url' }).fields).toEqual({ url: rule });
  });
});

describe('backup files', () => {
  it('names are config-<UTC second>-<kind>[-n].json, nothing else', () => {
    expect(BACKUP_NAME.exec('config-20261130T030000Z-daily.json')?.slice(1)).toEqual([
      '20261130T030000Z',
      'daily',
      undefined,
    ]);
    expect(BACKUP_NAME.exec('config-20261130T030000Z-before-restore-12.json')?.slice(1)).toEqual([
      '20261130T030000Z',
      'before-restore',
      '12',
    ]);
    for (const name of [
      'old-config-20261130T030000Z-daily.json',
      'config-20261130T030000Z-daily.json.bak',
      'config-2026113T030000Z-daily.json',
      'config-20261130T03000Z-daily.json',
      'config-2026113xT030000Z-daily.json',
      'config-20261130T03000xZ-daily.json',
      'config-20261130T030000Z-daily-.json',
      'config-20261130T030000Z-daily-x.json',
      'config-20261130T030000Z-weekly.json',
    ]) {
      expect(BACKUP_NAME.test(name), name).toBe(false);
    }
  });

  it('a restore takes an empty body and refuses options', () => {
    expect(restoreSchema.parse({})).toEqual({});
    expect(fieldsOf(restoreSchema, { force: true }).fields).toEqual({
      force: 'is not a known field',
    });
  });
});
