// The runs of one schedule, newest first. A schedule that fires every minute has tens of
// thousands of runs, so only the rows in view are in the DOM and pages of them are fetched
// as the user scrolls to them; nothing is fetched on a timer, live events say when to look.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryQueryInput } from '../../../shared/schemas';
import type { Run, RunStatus, Schedule } from '../../../shared/types';
import type { AppApi } from '../api/types';
import { StatusBadge } from '../components/StatusBadge';
import {
  formatDuration,
  formatLocal,
  formatRelative,
  localInputToIso,
  triggerLabel,
} from '../components/format';
import './history.css';

/** The API's largest page. */
export const PAGE_SIZE = 100;
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
  onOpenRun(run: Run): void;
  onBack(): void;
  /** The clock for relative times; tests pin it. */
  now?: number;
}

interface Loaded {
  pages: Record<number, Run[]>;
  /** null until the first page of the current filters has answered. */
  total: number | null;
}

const NOTHING_LOADED: Loaded = { pages: {}, total: null };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The accessible name of a row: what a sighted user takes in at a glance. */
export function runLabel(run: Run, now?: number): string {
  const parts = [`Run started ${formatLocal(run.started_at, now)}`, run.status];
  if (run.exit_code !== null && run.status !== 'success') parts.push(`exit ${run.exit_code}`);
  else if (run.signal) parts.push(run.signal);
  if (run.trigger !== 'schedule') parts.push(triggerLabel(run.trigger).toLowerCase());
  if (run.duration !== null) parts.push(`took ${formatDuration(run.duration)}`);
  return parts.join(', ');
}

export function HistoryView({ api, schedule, onOpenRun, onBack, now }: HistoryViewProps) {
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [since, setSince] = useState('');
  const [loaded, setLoaded] = useState<Loaded>(NOTHING_LOADED);
  const [error, setError] = useState<string | null>(null);
  const [retries, setRetries] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const query = useMemo<HistoryQueryInput>(() => {
    const q: HistoryQueryInput = { limit: PAGE_SIZE };
    if (status !== '') q.status = status;
    const sinceIso = localInputToIso(since);
    if (sinceIso) q.since = sinceIso;
    return q;
  }, [status, since]);

  // Bumped whenever loaded pages stop matching the server (filters changed, rows shifted):
  // an answer from an older generation is dropped instead of mixed in.
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());
  // A page that failed is not asked for again until the user retries, so a broken
  // connection does not turn scrolling into a request storm.
  const failed = useRef(new Set<number>());
  // Callbacks run later (answers, live events) and must see the latest values.
  const loadedRef = useRef(loaded);
  const queryRef = useRef(query);
  useEffect(() => {
    loadedRef.current = loaded;
    queryRef.current = query;
  });

  const loadPage = useCallback(
    (page: number) => {
      if (inFlight.current.has(page) || failed.current.has(page)) return;
      const gen = generation.current;
      inFlight.current.add(page);
      api.history(schedule.id, { ...queryRef.current, offset: page * PAGE_SIZE }).then(
        (result) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(page);
          setLoaded((prev) => ({
            pages: { ...prev.pages, [page]: result.data },
            total: result.meta.total,
          }));
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(page);
          failed.current.add(page);
          setError(message(e));
        },
      );
    },
    [api, schedule.id],
  );

  const restart = useCallback(() => {
    generation.current += 1;
    inFlight.current = new Set();
    failed.current = new Set();
    setLoaded(NOTHING_LOADED);
    setError(null);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    loadPage(0);
  }, [loadPage]);

  // Every filter change (and the first render) starts again from offset 0.
  useEffect(() => {
    restart();
  }, [restart, query]);

  // Live: a run of this schedule started or ended. Only the first page is fetched again; a
  // burst of events while it is on its way costs one more request, not one each.
  const refreshing = useRef<'idle' | 'busy' | 'again'>('idle');
  const refreshFirstPage = useCallback(() => {
    if (refreshing.current !== 'idle') {
      refreshing.current = 'again';
      return;
    }
    refreshing.current = 'busy';
    const gen = generation.current;
    const done = () => {
      const again = refreshing.current === 'again';
      refreshing.current = 'idle';
      if (again) refreshFirstPage();
    };
    api.history(schedule.id, { ...queryRef.current, offset: 0 }).then(
      (result) => {
        if (gen === generation.current) {
          const { total } = result.meta;
          if (total !== loadedRef.current.total) {
            // Rows moved by the difference: pages past the first are now off by it. They
            // are fetched again when next in view.
            generation.current += 1;
            inFlight.current = new Set();
            failed.current = new Set();
            setLoaded({ pages: { 0: result.data }, total });
          } else {
            setLoaded((prev) => ({ pages: { ...prev.pages, 0: result.data }, total }));
          }
        }
        done();
      },
      () => {
        // The rows shown are still true as of the last load; the next event tries again.
        done();
      },
    );
  }, [api, schedule.id]);

  useEffect(
    () =>
      api.subscribe((event) => {
        if (
          (event.type === 'run.started' || event.type === 'run.finished') &&
          event.run.schedule_id === schedule.id
        ) {
          refreshFirstPage();
        }
      }),
    [api, schedule.id, refreshFirstPage],
  );

  const total = loaded.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length > 0 ? items[0].index : 0;
  const last = items.length > 0 ? items[items.length - 1].index : -1;

  // Fetch the pages the visible window (with its overscan) falls on and that are missing.
  useEffect(() => {
    if (loaded.total === null || last < 0) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      if (!loaded.pages[page]) loadPage(page);
    }
  }, [first, last, loaded, loadPage, retries]);

  const runAt = (index: number): Run | undefined =>
    loaded.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];

  const retry = () => {
    if (loaded.total === null) {
      restart();
      return;
    }
    failed.current = new Set();
    setError(null);
    setRetries((n) => n + 1);
  };

  const filtered = status !== '' || since !== '';
  const clock = now ?? Date.now();

  return (
    <section className="history-view" aria-labelledby="history-heading">
      <header className="view-header">
        <button type="button" onClick={onBack}>
          Back
        </button>
        <h1 id="history-heading">History — {schedule.name}</h1>
        <span className="muted history-count" aria-live="polite">
          {loaded.total === null ? '' : `${loaded.total} ${loaded.total === 1 ? 'run' : 'runs'}`}
        </span>
      </header>

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
      </div>

      {error && (
        <div className="history-error" role="alert">
          Could not load runs: {error}{' '}
          <button type="button" onClick={retry}>
            Retry
          </button>
        </div>
      )}

      <div className="history-columns" aria-hidden="true">
        <span>Status</span>
        <span>Trigger</span>
        <span>Started</span>
        <span>Duration</span>
        <span>Exit</span>
      </div>

      <div className="history-scroll" ref={scrollRef} data-testid="history-scroll">
        {loaded.total === 0 && (
          <p className="history-empty muted">
            {filtered ? 'No runs match these filters' : 'No runs yet'}
          </p>
        )}
        {loaded.total === null && !error && <p className="history-empty muted">Loading runs…</p>}
        {total > 0 && (
          <div
            role="list"
            aria-label="Runs"
            className="history-rows"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const run = runAt(item.index);
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
                    <button
                      type="button"
                      className="history-row"
                      aria-label={runLabel(run, clock)}
                      onClick={() => onOpenRun(run)}
                    >
                      <span>
                        <StatusBadge status={run.status} exitCode={run.exit_code} />
                      </span>
                      <span>{triggerLabel(run.trigger)}</span>
                      <span title={run.started_at}>
                        {formatLocal(run.started_at, clock)}{' '}
                        <span className="muted">{formatRelative(run.started_at, clock)}</span>
                      </span>
                      <span>{run.status === 'running' ? '…' : formatDuration(run.duration)}</span>
                      <span className="mono">
                        {run.exit_code !== null ? run.exit_code : (run.signal ?? '—')}
                      </span>
                    </button>
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
