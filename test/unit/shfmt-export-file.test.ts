// The JSON export's schedule fields and its refusals in words: the environment is carried,
// a policy field left undefined exports its default, and a bad file's error names the
// file, each field and the value it got. Plus the timer's description of a multi-line name.
import { describe, expect, it } from 'vitest';
import { buildExport, isExportFile, parseExport } from '../../src/shared/export-format';
import type { ApiError } from '../../src/shared/errors';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';
import { formatSystemdUnits } from '../../src/shared/systemd';
import type { Schedule } from '../../src/shared/types';
import { apiError } from '../helpers/api-error';

const schedule = {
  id: 'sched_a',
  name: 'Job',
  description: '',
  machine_id: 'mach_here',
  command: 'true',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'UTC',
  timeout: null,
  notify: { on_success: false, on_failure: true },
  cwd: null,
  env: { DB: 'main' },
  overlap: 'skip',
  catch_up: false,
  next_run: null,
  last_run: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
} as unknown as Schedule;

const refusal = (value: unknown): ApiError => apiError(() => parseExport(value));

describe('exported schedules', () => {
  it('carry the environment, and defaults for policy fields left undefined', () => {
    const bare = { ...schedule, retries: undefined, shell: undefined } as unknown as Schedule;
    const [s] = buildExport([bare], null, 0).schedules;
    expect(s?.env).toEqual({ DB: 'main' });
    expect(s).toMatchObject({ retries: POLICY_DEFAULTS.retries, shell: POLICY_DEFAULTS.shell });
  });
});

describe('a refused export file', () => {
  it('names the file, the field and the value it got', () => {
    const e = refusal({ format: 'cmdop-scheduler', version: '3', schedules: [] });
    expect(e.message).toBe('Invalid export file: version: must be a number, got string "3"');
  });

  it('names what a schedule and the settings got', () => {
    const e = refusal({
      format: 'cmdop-scheduler',
      version: 3,
      schedules: [{ name: 5 }],
      settings: { paused: 'no' },
    });
    expect(e.details.fields).toMatchObject({
      'schedules.0.name': 'must be a string, got number 5',
      'settings.paused': 'must be a boolean, got string "no"',
    });
    expect(e.message).toMatch(/^Invalid export file: /);
  });

  it('is not taken for an export when it is nothing at all', () => {
    expect(isExportFile(undefined)).toBe(false);
  });
});

describe('timer description', () => {
  it('puts a multi-line name on one line', () => {
    const { files } = formatSystemdUnits([
      {
        ...(schedule as never as Parameters<typeof formatSystemdUnits>[0][number]),
        name: 'Two\nlines',
        overlap: 'skip',
      },
    ]);
    expect(files[1]?.content).toContain('\nDescription=Two lines (timer)\n');
  });
});
