// Stats kept current by finished runs (addRun): the newest failure is remembered whatever
// order runs are reported in, and only the newest 20 runs are kept.
import { describe, expect, it } from 'vitest';
import { addRun, NO_STATS, RECENT_RUNS } from '../../src/shared/run-stats';
import { finishedRun } from '../helpers/runs';

describe('addRun', () => {
  it('keeps the newest failure when an older one is reported after it', () => {
    let stats = addRun(NO_STATS, finishedRun({ started_at: '2026-06-01T05:00:00Z' }));
    stats = addRun(stats, finishedRun({ started_at: '2026-06-01T04:00:00Z', status: 'timeout' }));
    expect(stats.last_failure_at).toBe('2026-06-01T05:00:00Z');
    expect(stats.failures_24h).toBe(2);
    stats = addRun(
      stats,
      finishedRun({ started_at: '2026-06-01T06:00:00Z', status: 'interrupted' }),
    );
    expect(stats.last_failure_at).toBe('2026-06-01T06:00:00Z');
  });

  it('does not take a success for the last failure', () => {
    let stats = addRun(NO_STATS, finishedRun({ started_at: '2026-06-01T04:00:00Z' }));
    stats = addRun(stats, finishedRun({ started_at: '2026-06-01T05:00:00Z', status: 'success' }));
    expect(stats.last_failure_at).toBe('2026-06-01T04:00:00Z');
    expect(addRun(NO_STATS, finishedRun({ status: 'success' })).last_failure_at).toBeNull();
  });

  it('keeps the newest 20 runs, newest first', () => {
    let stats = NO_STATS;
    for (let i = 0; i < 25; i++) {
      stats = addRun(
        stats,
        finishedRun({ started_at: `2026-06-01T03:${String(i).padStart(2, '0')}:00Z` }),
      );
    }
    expect(stats.recent).toHaveLength(RECENT_RUNS);
    expect(stats.recent[0]?.at).toBe('2026-06-01T03:24:00Z');
    expect(stats.recent.at(-1)?.at).toBe('2026-06-01T03:05:00Z');
    expect(stats.runs_24h).toBe(25);
  });
});
