// How a schedule's recent runs went, from the `stats` the API sends (ours) and kept current
// by run.finished events. Pure: the engine counts with these rules, the UI updates with them.
import type { Run, RunStatus, RunSummary, ScheduleStats } from './types';

export const RECENT_RUNS = 20;
export const STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What the failure notification covers: the run did not do its job. */
export function isFailed(status: RunStatus): boolean {
  return status === 'failure' || status === 'timeout' || status === 'interrupted';
}

/** Runs that ran to an end; skipped fires never started anything. */
export function counts(status: RunStatus): boolean {
  return status !== 'running' && status !== 'skipped';
}

export const NO_STATS: ScheduleStats = {
  runs_24h: 0,
  failures_24h: 0,
  last_failure_at: null,
  recent: [],
};

/** Stats after one more finished run (a run.finished event). */
export function addRun(stats: ScheduleStats, run: Run): ScheduleStats {
  if (!counts(run.status)) return stats;
  const failed = isFailed(run.status);
  const summary: RunSummary = { at: run.started_at, status: run.status, duration: run.duration };
  return {
    runs_24h: stats.runs_24h + 1,
    failures_24h: stats.failures_24h + (failed ? 1 : 0),
    last_failure_at:
      // Stryker disable next-line EqualityOperator: an equal start time is the same value
      failed && (stats.last_failure_at === null || run.started_at >= stats.last_failure_at)
        ? run.started_at
        : stats.last_failure_at,
    recent: [summary, ...stats.recent].slice(0, RECENT_RUNS),
  };
}

/** Successes among the recent runs, 0..1, or null before the first run. */
export function successRate(stats: ScheduleStats): number | null {
  if (stats.recent.length === 0) return null;
  return stats.recent.filter((r) => r.status === 'success').length / stats.recent.length;
}
