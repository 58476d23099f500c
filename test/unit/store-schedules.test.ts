// One stored schedule read back: a valid one as it is, one that is not a schedule at all
// dropped, and one that breaks the rules kept with typed stand-ins (what could be read kept,
// the rest defaulted) so the user can list it and fix it in the editor.
import { describe, expect, it } from 'vitest';
import { readStoredEntry, storedScheduleFields } from '../../src/core/stored-schedule';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

const stamps = { created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' };
const valid = {
  id: 'sched_a1',
  name: 'backup',
  description: '',
  command: 'echo hi',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'UTC',
  timeout: null,
  notify: { on_success: false, on_failure: true, webhook_url: null, ping_url: null },
  cwd: null,
  env: {},
  overlap: 'skip',
  catch_up: false,
  ...POLICY_DEFAULTS,
  ...stamps,
};

describe('reading a stored schedule', () => {
  it('reads a valid one, with its notify in the short form', () => {
    const entry = readStoredEntry('sched_a1', valid);
    expect(entry.kind).toBe('valid');
    if (entry.kind !== 'valid') return;
    expect(entry.schedule).toMatchObject({ id: 'sched_a1', name: 'backup', ...stamps });
    expect(entry.schedule.notify).toEqual({ on_success: false, on_failure: true });
    expect(storedScheduleFields(entry.schedule)).toBeNull();
  });

  it('drops what is not a schedule: no id, a bad id, an id not its key, not an object', () => {
    for (const [key, value] of [
      ['sched_a1', { ...valid, id: undefined }],
      ['sched_a1', { ...valid, id: 'sched_a1/../x' }],
      ['sched_b2', valid],
      ['sched_a1', { ...valid, created_at: 5 }],
      ['sched_a1', 'text'],
      ['sched_a1', null],
    ] as const) {
      expect(readStoredEntry(key, value)).toEqual({ kind: 'unreadable' });
    }
  });

  it('keeps one that breaks the rules, with defaults for what cannot be read', () => {
    const raw = {
      id: 'sched_a1',
      ...stamps,
      name: 5,
      description: null,
      command: ['ls'],
      cron: 7,
      enabled: 'yes',
      timezone: 1,
      timeout: 'long',
      notify: 'loud',
      cwd: 3,
      env: ['A=1'],
      overlap: 'queue',
      catch_up: 'no',
      retries: 'two',
      retry_delay: '1m',
      retry_backoff: null,
      random_delay: 'some',
      shell: 'zsh',
      env_file: 4,
      paused_until: 5,
      run_on_battery: 'maybe',
    };
    const entry = readStoredEntry('sched_a1', raw);
    expect(entry.kind).toBe('broken');
    if (entry.kind !== 'broken') return;
    expect(entry.schedule).toEqual({
      id: 'sched_a1',
      name: 'sched_a1',
      description: '',
      command: '',
      cron: '',
      enabled: false,
      timezone: 'UTC',
      timeout: null,
      notify: { on_success: false, on_failure: true },
      cwd: null,
      env: {},
      overlap: 'skip',
      catch_up: false,
      ...POLICY_DEFAULTS,
      ...stamps,
    });
    expect(entry.raw).toBe(raw);
    expect(Object.keys(entry.fields)).toEqual(expect.arrayContaining(['name', 'cron', 'command']));
    expect(entry.error).toContain('cron');
    expect(storedScheduleFields(entry.schedule)).not.toBeNull();
  });

  it('keeps what it can read of a broken one', () => {
    const raw = {
      ...valid,
      cron: 'every day',
      name: 'nightly',
      description: 'mine',
      command: 'make',
      enabled: true,
      timezone: 'Europe/Paris',
      timeout: 30000,
      notify: {
        on_success: true,
        on_failure: false,
        webhook_url: 'https://hooks.example/x',
        ping_url: 'https://ping.example/y',
      },
      cwd: '/srv',
      env: { A: '1', B: 2 },
      overlap: 'allow',
      catch_up: true,
      retries: 2,
      retry_delay: 5000,
      retry_backoff: 3,
      random_delay: 10,
      shell: 'login',
      env_file: '/srv/.env',
      paused_until: '2030-01-01T00:00:00Z',
      run_on_battery: false,
    };
    const entry = readStoredEntry('sched_a1', raw);
    expect(entry.kind).toBe('broken');
    if (entry.kind !== 'broken') return;
    expect(entry.schedule).toEqual({
      id: 'sched_a1',
      name: 'nightly',
      description: 'mine',
      command: 'make',
      cron: 'every day',
      enabled: true,
      timezone: 'Europe/Paris',
      timeout: 30000,
      notify: {
        on_success: true,
        on_failure: false,
        webhook_url: 'https://hooks.example/x',
        ping_url: 'https://ping.example/y',
      },
      cwd: '/srv',
      env: { A: '1' },
      overlap: 'allow',
      catch_up: true,
      retries: 2,
      retry_delay: 5000,
      retry_backoff: 3,
      random_delay: 10,
      shell: 'login',
      env_file: '/srv/.env',
      paused_until: '2030-01-01T00:00:00Z',
      run_on_battery: false,
      ...stamps,
    });
    expect(entry.fields).toEqual({
      cron: 'expected 5 or 6 fields, got 2',
      'env.B': 'must be a string, got number 2',
    });
    expect(storedScheduleFields(entry.schedule)).toEqual({ cron: expect.any(String) });
  });

  it('a broken one with a notify object but no flags gets the default flags', () => {
    const entry = readStoredEntry('sched_a1', { ...valid, cron: 'x', notify: {}, env: null });
    if (entry.kind !== 'broken') throw new Error(entry.kind);
    expect(entry.schedule.notify).toEqual({ on_success: false, on_failure: true });
    expect(entry.schedule.env).toEqual({});
    const nullNotify = readStoredEntry('sched_a1', { ...valid, cron: 'x', notify: null });
    if (nullNotify.kind !== 'broken') throw new Error(nullNotify.kind);
    expect(nullNotify.schedule.notify).toEqual({ on_success: false, on_failure: true });
  });
});
