// @ts-nocheck
// 
// A schedule's recent runs at a glance: the success rate in words and a small bar chart of
// durations, oldest to newest, each bar in its run's status colour. The chart is one image
// to a screen reader, named by the same facts in words.
import { successRate } from '../../../shared/run-stats';
import type { ScheduleStats } from '../../../shared/types';
import { formatDuration } from './format';
import './trend.css';

export function trendSummary(stats: ScheduleStats): string {
  const rate = successRate(stats);
  if (rate === null) return 'No finished runs yet';
  const n = stats.recent.length;
  const ok = stats.recent.filter((r) => r.status === 'success').length;
  const durations = stats.recent.map((r) => r.duration).filter((d): d is number => d !== null);
  const range =
    durations.length > 0
      ? `; took ${formatDuration(Math.min(...durations))} to ${formatDuration(Math.max(...durations))}`
      : '';
  return `${ok} of the last ${n} ${n === 1 ? 'run' : 'runs'} succeeded (${Math.round(rate * 100)}%)${range}`;
}

const WIDTH = 120;
const HEIGHT = 28;

export function RunTrend({ stats, compact }: { stats: ScheduleStats; compact?: boolean }) {
  const runs = [...stats.recent].reverse();
  const summary = trendSummary(stats);
  if (runs.length === 0) return <span className="muted small">{summary}</span>;
  const max = Math.max(1, ...runs.map((r) => r.duration ?? 0));
  const bar = WIDTH / Math.max(runs.length, 10);
  const rate = successRate(stats) ?? 0;
  return (
    <span className="run-trend">
      <svg
        role="img"
        aria-label={summary}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      >
        <title>{summary}</title>
        {runs.map((r, i) => {
          const h = Math.max(2, ((r.duration ?? 0) / max) * (HEIGHT - 2));
          return (
            <rect
              key={`${r.at}-${i}`}
              className={`trend-${r.status}`}
              x={i * bar + 1}
              y={HEIGHT - h}
              width={Math.max(1, bar - 2)}
              height={h}
            />
          );
        })}
      </svg>
      {!compact && (
        <span className="small" aria-hidden="true">
          {Math.round(rate * 100)}% ok
        </span>
      )}
    </span>
  );
}
