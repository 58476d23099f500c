// The record of alerts sent per run, on real files: private, read back after a restart,
// trimmed when it grows, gone with its schedule, and kept in memory (and reported to
// StorageHealth) while the disk refuses it, then written once it works again.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DELIVERY_FILE_MAX_BYTES, DeliveryLog } from '../../src/core/alerts/delivery-log';
import { StorageHealth } from '../../src/core/storage-health';
import type { Delivery } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { captureLog, tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);

const delivery = (n: number, over: Partial<Delivery> = {}): Delivery => ({
  channel: 'webhook',
  event: 'run.failed',
  url: 'https://hooks.slack.com/…',
  at: `2026-06-01T10:00:${String(n % 60).padStart(2, '0')}Z`,
  attempts: 1,
  ok: true,
  status_code: 200,
  error: null,
  ...over,
});

function open(root: string, health?: StorageHealth) {
  const time = new FakeTime('2026-06-01T10:00:00Z');
  const log = captureLog();
  const records = new DeliveryLog({ dir: join(root, 'deliveries'), log, health, timers: time });
  return { records, time, log };
}

describe('DeliveryLog', () => {
  it('keeps each run’s records in a private file, read back after a restart', () => {
    const root = dir();
    const { records } = open(root);
    records.record('sched_a', 'run_1', delivery(1));
    records.record('sched_a', 'run_1', delivery(2, { channel: 'ping', event: 'start' }));
    records.record('sched_a', 'run_2', delivery(3, { ok: false, status_code: 500 }));
    const file = join(root, 'deliveries', 'sched_a.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = open(root).records;
    expect(again.forRun('sched_a', 'run_1').map((d) => d.event)).toEqual(['run.failed', 'start']);
    expect(again.forRun('sched_a', 'run_2')[0]).toMatchObject({ ok: false, status_code: 500 });
    expect(again.forRun('sched_a', 'run_9')).toEqual([]);
    again.deleteSchedule('sched_a');
    expect(existsSync(file)).toBe(false);
  });

  it('trims a file that grew past its cap to its newest half', () => {
    const root = dir();
    const { records } = open(root);
    const big = 'x'.repeat(500);
    let n = 0;
    while (n * 600 < DELIVERY_FILE_MAX_BYTES * 1.2) {
      records.record('sched_b', `run_${n}`, delivery(n, { error: big }));
      n++;
    }
    const file = join(root, 'deliveries', 'sched_b.jsonl');
    expect(statSync(file).size).toBeLessThanOrEqual(DELIVERY_FILE_MAX_BYTES);
    const again = open(root).records;
    expect(again.forRun('sched_b', `run_${n - 1}`)).toHaveLength(1);
    expect(again.forRun('sched_b', 'run_0')).toEqual([]);
  });

  it('while the disk refuses, keeps the records and says so; writes them when it can', () => {
    const root = dir();
    const health = new StorageHealth({ now: () => 0 }, captureLog());
    const { records, time } = open(root, health);
    // A folder where the file should be: every append fails (root ignores modes).
    const file = join(root, 'deliveries', 'sched_c.jsonl');
    mkdirSync(file, { recursive: true });
    records.record('sched_c', 'run_1', delivery(1));
    expect(health.status().problem).toMatchObject({ scope: 'deliveries', code: 'EISDIR' });
    expect(records.forRun('sched_c', 'run_1')).toHaveLength(1); // still shown

    rmSync(file, { recursive: true });
    time.advanceBy(10_000); // the retry
    expect(health.status().ok).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('"run":"run_1"');
  });
});
