// config.json is validated in full unless it is byte for byte the file this app validated
// (store-trust.ts): a hand edit, another version's write or new rules mean a full check.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScheduleRepository, type StoredSchedule } from '../../src/core/schedules';
import { TRUST_FILE, trustCurrent } from '../../src/core/store-trust';
import { silentLogger } from '../../src/core/log';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';
import { confStoreFactory } from '../../src/headless/conf-store';

const clock = { now: () => Date.UTC(2026, 0, 2) };
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cmdop-trust-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () =>
  ScheduleRepository.open(confStoreFactory, dir, clock, silentLogger, { defer: () => {} });
const config = () => join(dir, 'config.json');

function schedule(id: string, cron = '0 3 * * *'): StoredSchedule {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id,
    name: id,
    description: '',
    command: 'true',
    cron,
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: true },
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    ...POLICY_DEFAULTS,
    created_at: at,
    updated_at: at,
  } as StoredSchedule;
}

describe('trusting config.json', () => {
  it('a file the app wrote is trusted; a hand edit after that is validated in full', () => {
    const repo = open();
    repo.put(schedule('sched_a'));
    repo.close(); // writes config.json and records it as validated
    expect(readFileSync(join(dir, TRUST_FILE), 'utf8')).not.toBe('');
    const stored = JSON.parse(readFileSync(config(), 'utf8'));
    stored.schedules.sched_a.cron = '99 99 * * *';
    writeFileSync(config(), JSON.stringify(stored)); // by hand, after the app's write
    expect(open().error('sched_a')).toBe('cron: minute must be 0-59, got 99');
  });

  it('an unchanged trusted file skips the check (shown by trust forged on a broken file)', () => {
    writeFileSync(
      config(),
      JSON.stringify({
        schemaVersion: 1,
        schedules: { sched_b: schedule('sched_b', '99 99 * * *') },
      }),
    );
    trustCurrent(dir, config());
    expect(open().error('sched_b')).toBeNull(); // not checked: trusted
    writeFileSync(join(dir, TRUST_FILE), 'another version of the rules');
    expect(open().error('sched_b')).toMatch(/^cron:/); // other rules: checked in full
  });

  it('a file validated in full at start is trusted at the next start', () => {
    writeFileSync(
      config(),
      JSON.stringify({ schemaVersion: 1, schedules: { sched_c: schedule('sched_c') } }),
    );
    open();
    const key = readFileSync(join(dir, TRUST_FILE), 'utf8');
    expect(key).toMatch(/[0-9a-f]{64}$/);
    open();
    expect(readFileSync(join(dir, TRUST_FILE), 'utf8')).toBe(key);
  });
});
