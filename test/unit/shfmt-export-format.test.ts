// The JSON export file: the settings worth moving (never a token), schedules in the order
// an importer lists them, and a file refused with every bad field named.
import { describe, expect, it } from 'vitest';
import {
  buildExport,
  isExportFile,
  parseExport,
  type ExportFile,
} from '../../src/shared/export-format';
import { ApiError } from '../../src/shared/errors';
import type { AppSettings } from '../../src/shared/settings';
import type { Schedule } from '../../src/shared/types';

const schedule = (id: string, created_at: string): Schedule =>
  ({
    id,
    name: `Job ${id}`,
    description: '',
    machine_id: 'mach_here',
    command: 'true',
    cron: '0 3 * * *',
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: true },
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    next_run: null,
    last_run: null,
    created_at,
    updated_at: created_at,
  }) as Schedule;

const settings = {
  notifications: { muted: true },
  history: { max_runs: 500, max_age_days: 30 },
  paused: true,
  paused_until: '2026-07-01T00:00:00Z',
  local_api: { enabled: true, port: 7979, token: 'secret-token' },
  remote: { url: 'https://cmdop.example', token: 'remote-secret', connected: true },
  server: { mode: 'tray', url: null, token: 'secret-token', token_source: 'file' },
  start_at_login: true,
} as unknown as AppSettings;

const fieldsOf = (f: () => unknown): Record<string, string> => {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e.details.fields as Record<string, string>;
    throw e;
  }
  throw new Error('did not throw');
};

describe('buildExport', () => {
  it('writes the settings worth moving and no token', () => {
    const file = buildExport([], settings, Date.parse('2026-06-01T12:00:00.250Z'));
    expect(file).toEqual({
      format: 'cmdop-scheduler',
      version: 3,
      exported_at: '2026-06-01T12:00:00Z',
      settings: {
        notifications: { muted: true },
        history: { max_runs: 500, max_age_days: 30 },
        paused: true,
        paused_until: '2026-07-01T00:00:00Z',
        local_api: { enabled: true, port: 7979 },
        remote: { url: 'https://cmdop.example' },
      },
      schedules: [],
    });
    expect(JSON.stringify(file)).not.toContain('secret');
  });

  it('orders schedules by creation time, then id, and writes this machine as local', () => {
    const file = buildExport(
      [
        schedule('sched_c', '2026-01-02T00:00:00Z'),
        schedule('sched_b', '2026-01-01T00:00:00Z'),
        schedule('sched_a', '2026-01-02T00:00:00Z'),
      ],
      null,
      0,
    );
    expect(file.schedules.map((s) => [s.id, s.machine_id])).toEqual([
      ['sched_b', 'local'],
      ['sched_a', 'local'],
      ['sched_c', 'local'],
    ]);
  });
});

describe('parseExport', () => {
  const file = (over: Partial<ExportFile> | Record<string, unknown> = {}) => ({
    format: 'cmdop-scheduler',
    version: 3,
    schedules: [],
    ...over,
  });

  it('names a wrong format and a newer version', () => {
    expect(fieldsOf(() => parseExport(file({ format: 'other', version: 4 })))).toEqual({
      format: "must be 'cmdop-scheduler'",
      version: 'must be at most 3: the file was written by a newer Cmdop Scheduler',
    });
  });

  it('names every bad field of every schedule and of the settings at once', () => {
    const good = buildExport([schedule('sched_a', '2026-01-01T00:00:00Z')], null, 0).schedules[0];
    const fields = fieldsOf(() =>
      parseExport(
        file({
          schedules: [good, { ...good, cron: 'nope' }, { ...good, enabled: 'yes' }],
          settings: { paused: 'no' },
        }),
      ),
    );
    expect(Object.keys(fields).sort()).toEqual([
      'schedules.1.cron',
      'schedules.2.enabled',
      'settings.paused',
    ]);
  });

  it('returns the schedules and settings of a good file; null or no settings is none', () => {
    const good = buildExport([schedule('sched_a', '2026-01-01T00:00:00Z')], settings, 0);
    const parsed = parseExport(JSON.parse(JSON.stringify(good)));
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]).toMatchObject({ id: 'sched_a', cron: '0 3 * * *' });
    expect(parsed.settings).toEqual(good.settings);
    expect(parseExport(file({ settings: null })).settings).toBeNull();
    expect(parseExport(file()).settings).toBeNull();
  });
});

describe('isExportFile', () => {
  it('tells our export from other JSON', () => {
    expect(isExportFile(file())).toBe(true);
    expect(isExportFile({ format: 'other' })).toBe(false);
    expect(isExportFile(null)).toBe(false);
    expect(isExportFile('cmdop-scheduler')).toBe(false);
    expect(isExportFile([])).toBe(false);
  });

  function file() {
    return { format: 'cmdop-scheduler', version: 3, schedules: [] };
  }
});
