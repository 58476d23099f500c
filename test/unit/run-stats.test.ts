// A schedule's stats: counted from the history index over the last 24 hours and the newest
// 20 finished runs; the UI keeps them current with the same rules.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/core/history';
import { scheduleStats } from '../../src/core/run-stats';
import { addRun, NO_STATS, successRate } from '../../src/shared/run-stats';
import { formatTimestamp } from '../../src/shared/time';
import type { Run, RunStatus } from '../../src/shared/types';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-03-02T12:00:00Z');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function history(): HistoryStore {
  const dir = mkdtempSync(join(tmpdir(), 'cmdop-stats-'));
  dirs.push(dir);
  const log = { info() {}, warn() {}, error() {} };
  return new HistoryStore({
    dir,
    clock: { now: () => NOW },
    log,
    retention: () => ({ max_runs: 1000, max_age_days: 90 }),
  });
}

let n = 0;
function run(hoursAgo: number, status: RunStatus, duration: number | null = 1000): Run {
  const started = NOW - hoursAgo * HOUR;
  n++;
  return {
    id: `run_${n}`,
    command_id: `cmd_${n}`,
    schedule_id: 'sched_a',
    started_at: formatTimestamp(started),
    finished_at: status === 'running' ? null : formatTimestamp(started + 1000),
    exit_code: status === 'success' ? 0 : 1,
    duration: status === 'running' ? null : duration,
    stdout: '',
    stderr: '',
    trigger: 'schedule',
    status,
    scheduled_for: null,
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
  };
}

describe('schedule stats', () => {
  it('counts finished runs and failures of the last 24 h; skipped and running ones do not count', () => {
    const h = history();
    h.append(run(30, 'failure'));
    h.append(run(20, 'success', 2000));
    h.append(run(10, 'timeout', 5000));
    h.append(run(5, 'skipped'));
    h.append(run(2, 'interrupted', 300));
    h.append(run(1, 'cancelled', 100));
    h.append(run(0, 'running'));
    const stats = scheduleStats(h, 'sched_a', NOW);
    expect(stats).toMatchObject({
      runs_24h: 4,
      failures_24h: 2,
      last_failure_at: formatTimestamp(NOW - 2 * HOUR),
    });
    expect(stats.recent.map((r) => r.status)).toEqual([
      'cancelled',
      'interrupted',
      'timeout',
      'success',
      'failure',
    ]);
    expect(stats.recent[3]).toEqual({
      at: formatTimestamp(NOW - 20 * HOUR),
      status: 'success',
      duration: 2000,
    });
  });

  it('keeps the newest 20 runs and finds an old failure', () => {
    const h = history();
    h.append(run(100, 'failure'));
    for (let i = 60; i > 0; i--) h.append(run(i, 'success'));
    const stats = scheduleStats(h, 'sched_a', NOW);
    expect(stats.recent).toHaveLength(20);
    expect(stats.recent[0]?.at).toBe(formatTimestamp(NOW - HOUR));
    // 24 h ago to the millisecond is still in the window.
    expect(stats.runs_24h).toBe(24);
    expect(stats.failures_24h).toBe(0);
    expect(stats.last_failure_at).toBe(formatTimestamp(NOW - 100 * HOUR));
    expect(successRate(stats)).toBe(1);
  });

  it('counts every run of the window even when the newest 20 already hold a failure', () => {
    const h = history();
    for (let i = 30; i > 1; i--) h.append(run(i * 0.75, 'success'));
    h.append(run(0.5, 'failure'));
    const stats = scheduleStats(h, 'sched_a', NOW);
    expect(stats.runs_24h).toBe(30);
    expect(stats.failures_24h).toBe(1);
    expect(stats.recent).toHaveLength(20);
    expect(stats.last_failure_at).toBe(formatTimestamp(NOW - 0.5 * HOUR));
  });

  it('keeps all recent runs when every one is older than the window', () => {
    const h = history();
    for (let days = 6; days > 2; days--) h.append(run(days * 24, 'success'));
    h.append(run(48, 'failure'));
    const stats = scheduleStats(h, 'sched_a', NOW);
    expect(stats.runs_24h).toBe(0);
    expect(stats.recent.map((r) => r.status)).toEqual([
      'failure',
      'success',
      'success',
      'success',
      'success',
    ]);
    expect(stats.last_failure_at).toBe(formatTimestamp(NOW - 48 * HOUR));
  });

  it('is updated by a finished run the way it is counted', () => {
    let stats = NO_STATS;
    expect(successRate(stats)).toBeNull();
    stats = addRun(stats, run(1, 'success'));
    stats = addRun(stats, run(0.5, 'skipped'));
    stats = addRun(stats, run(0, 'timeout'));
    expect(stats).toMatchObject({ runs_24h: 2, failures_24h: 1 });
    expect(stats.last_failure_at).toBe(formatTimestamp(NOW));
    expect(successRate(stats)).toBe(0.5);
  });
});
