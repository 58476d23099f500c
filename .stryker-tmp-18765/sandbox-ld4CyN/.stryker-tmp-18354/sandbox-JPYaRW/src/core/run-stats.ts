// @ts-nocheck
// 
// A schedule's `stats` (ours): counted from the history index alone, so listing a thousand
// schedules reads no output files.
import { counts, isFailed, RECENT_RUNS, STATS_WINDOW_MS } from '../shared/run-stats';
import type { RunSummary, ScheduleStats } from '../shared/types';
import type { HistoryStore } from './history';

export function scheduleStats(history: HistoryStore, id: string, now: number): ScheduleStats {
  const since = now - STATS_WINDOW_MS;
  const stats: ScheduleStats = { runs_24h: 0, failures_24h: 0, last_failure_at: null, recent: [] };
  const recent: RunSummary[] = stats.recent;
  history.scanRuns(id, (run) => {
    const { status } = run;
    const startedMs = run.startedMs;
    if (counts(status)) {
      const failed = isFailed(status);
      if (startedMs >= since) {
        stats.runs_24h++;
        if (failed) stats.failures_24h++;
      }
      if (failed) stats.last_failure_at ??= run.startedAt;
      if (recent.length < RECENT_RUNS) {
        recent.push({ at: run.startedAt, status, duration: run.duration });
      }
    }
    // Newest first: past the window, with the recent runs and a failure found, nothing changes.
    return startedMs >= since || recent.length < RECENT_RUNS || stats.last_failure_at === null;
  });
  return stats;
}
