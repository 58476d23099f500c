// @ts-nocheck
// 
// The runs of one schedule, newest first, filling the window. A schedule that fires every
// minute has tens of thousands of runs, so only the rows in view are in the DOM (pages come
// from useRunPages). Each row is a link to its run; its name is what it shows. Filters and
// the scroll position are kept per schedule, so Back from a run lands on the same row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { routeHash } from '../../../../shared/routes';
import type { HistoryQueryInput } from '../../../../shared/schemas';
import type { Run, RunStatus, Schedule } from '../../../../shared/types';
import type { AppApi } from '../../api/types';
import { describeCron } from '../../components/CronPreview';
import { RunTrend } from '../../components/RunTrend';
import { StatusBadge } from '../../components/StatusBadge';
import {
  formatDuration,
  formatLocal,
  formatRelative,
  localInputToIso,
  triggerLabel,
} from '../../components/format';
import { useNarrow } from '../../components/useNarrow';
import { recall, remember, useScrollMemory } from '../../components/useScrollMemory';
import { useTitle } from '../../components/useTitle';
import { useClock } from '../../store/clock';
import { PAGE_SIZE, useRunPages } from './useRunPages';
import { DecisionTimeline } from './DecisionTimeline';
import './history.css';

export { PAGE_SIZE };
/** Rows have a fixed height (history.css), so nothing has to be measured. */
export const ROW_HEIGHT = 44;

const STATUS_OPTIONS: { value: RunStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
  { value: 'timeout', label: 'Timeout' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'interrupted', label: 'Interrupted' },
  { value: 'skipped', label: 'Skipped' },
  { value: 'running', label: 'Running' },
];

export interface HistoryViewProps {
  api: AppApi;
  schedule: Schedule;
  onRunNow?(): void;
  onEdit?(): void;
  /** The clock for relative times; tests pin it. */
  now?: number;
}

function RunRow({ run, clock, narrow }: { run: Run; clock: number; narrow: boolean }) {
  return (
    <a className="history-row" href={routeHash({ name: 'run', commandId: run.command_id })}>
      <span>
        <StatusBadge status={run.status} exitCode={run.exit_code} />
      </span>
      {!narrow && <span>{triggerLabel(run.trigger)}</span>}
      <span title={run.started_at}>
        {formatLocal(run.started_at, clock)}
        {!narrow && <span className="muted"> {formatRelative(run.started_at, clock)}</span>}
      </span>
      <span>{run.status === 'running' ? 'running' : formatDuration(run.duration)}</span>
      <span className="mono">{run.exit_code !== null ? run.exit_code : (run.signal ?? '—')}</span>
    </a>
  );
}

export function HistoryView({ api, schedule, onRunNow, onEdit, now }: HistoryViewProps) {
  useTitle(`History of ${schedule.name}`);
  const memoryKey = `history:${schedule.id}`;
  const [status, setStatusState] = useState<RunStatus | ''>(() =>
    recall(`${memoryKey}:status`, ''),
  );
  const [since, setSinceState] = useState(() => recall(`${memoryKey}:since`, ''));
  const setStatus = (value: RunStatus | '') => {
    remember(`${memoryKey}:status`, value);
    setStatusState(value);
  };
  const setSince = (value: string) => {
    remember(`${memoryKey}:since`, value);
    setSinceState(value);
  };
  const scrollRef = useRef<HTMLDivElement>(null);
  const narrow = useNarrow();

  const query = useMemo<HistoryQueryInput>(() => {
    const q: HistoryQueryInput = { limit: PAGE_SIZE };
    if (status !== '') q.status = status;
    const sinceIso = localInputToIso(since);
    if (sinceIso) q.since = sinceIso;
    return q;
  }, [status, since]);

  // A filter change starts at the top; the first load keeps the remembered position.
  const started = useRef(false);
  const onRestart = useCallback(() => {
    if (started.current && scrollRef.current) scrollRef.current.scrollTop = 0;
    started.current = true;
  }, []);
  const pages = useRunPages(api, schedule.id, query, onRestart);
  const total = pages.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length > 0 ? items[0].index : 0;
  const last = items.length > 0 ? items[items.length - 1].index : -1;
  const { want } = pages;
  useEffect(() => want(first, last), [want, first, last]);
  useScrollMemory(`${memoryKey}:${status}:${since}`, scrollRef, total > 0);

  const filtered = status !== '' || since !== '';
  // Relative start times ("3 min ago") move on with the clock: re-rendered twice a minute,
  // each time with the time of that render.
  useClock((n) => Math.floor(n / 30_000));
  const clock = now ?? Date.now();
  const stats = schedule.stats;

  return (
    <section className="history-view" aria-labelledby="history-heading">
      <div className="view-header">
        <a className="up-link" href={routeHash({ name: 'schedules' })}>
          ← Schedules
        </a>
        <h1 id="history-heading">History of {schedule.name}</h1>
        <span className="spacer" />
        {onRunNow && (
          <button type="button" onClick={onRunNow}>
            Run now
          </button>
        )}
        {onEdit && (
          <button type="button" onClick={onEdit}>
            Edit
          </button>
        )}
      </div>
      <div className="history-about">
        <code className="history-command" title={schedule.command}>
          {schedule.command}
        </code>
        <span className="muted small">
          {describeCron(schedule.cron) ?? schedule.cron} · {schedule.timezone}
        </span>
        {stats && (
          <span className="history-stats">
            <RunTrend stats={stats} />
            <span className="small muted">
              {stats.runs_24h} {stats.runs_24h === 1 ? 'run' : 'runs'} in 24 h
              {stats.failures_24h > 0 && `, ${stats.failures_24h} failed`}
            </span>
          </span>
        )}
      </div>

      <DecisionTimeline api={api} schedule={schedule} now={clock} />

      <div className="history-filters">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as RunStatus | '')}>
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Since
          <input
            type="datetime-local"
            step={1}
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        </label>
        {filtered && (
          <button
            type="button"
            onClick={() => {
              setStatus('');
              setSince('');
            }}
          >
            Clear filters
          </button>
        )}
        <span className="muted history-count" aria-live="polite">
          {pages.total === null ? '' : `${pages.total} ${pages.total === 1 ? 'run' : 'runs'}`}
        </span>
      </div>

      {pages.error && (
        <div className="history-error" role="alert">
          Could not load runs: {pages.error}{' '}
          <button type="button" onClick={pages.retry}>
            Retry
          </button>
        </div>
      )}

      <div className="history-columns" aria-hidden="true">
        <span>Status</span>
        {!narrow && <span>Trigger</span>}
        <span>Started</span>
        <span>Duration</span>
        <span>Exit</span>
      </div>

      <div className="history-scroll" ref={scrollRef} data-testid="history-scroll">
        {pages.total === 0 && (
          <p className="history-empty muted">
            {filtered ? 'No runs match these filters' : 'No runs yet'}
          </p>
        )}
        {pages.total === null && !pages.error && (
          <p className="history-empty muted">Loading runs…</p>
        )}
        {total > 0 && (
          <div
            role="list"
            aria-label="Runs"
            className="history-rows"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const run = pages.runAt(item.index);
              return (
                <div
                  key={run ? run.id : `pending-${item.index}`}
                  role="listitem"
                  aria-setsize={total}
                  aria-posinset={item.index + 1}
                  className="history-row-slot"
                  style={{ transform: `translateY(${item.start}px)`, height: item.size }}
                >
                  {run ? (
                    <RunRow run={run} clock={clock} narrow={narrow} />
                  ) : (
                    <div className="history-row history-row-pending" aria-busy="true">
                      <span className="muted">Loading…</span>
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
