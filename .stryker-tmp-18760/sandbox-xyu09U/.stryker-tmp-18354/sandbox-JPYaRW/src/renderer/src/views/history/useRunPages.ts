// @ts-nocheck
// 
// The runs of one schedule, newest first, fetched a page at a time as the list scrolls to
// them; kept current by run events without polling (the first page is fetched again, once
// per burst); nothing is fetched on a timer.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HistoryQueryInput } from '../../../../shared/schemas';
import type { Run } from '../../../../shared/types';
import type { AppApi } from '../../api/types';

/** The API's largest page. */
export const PAGE_SIZE = 100;

interface Loaded {
  pages: Record<number, Run[]>;
  /** null until the first page of the current filters has answered. */
  total: number | null;
}

const NOTHING_LOADED: Loaded = { pages: {}, total: null };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface RunPages {
  /** null until the first page has answered. */
  total: number | null;
  error: string | null;
  runAt(index: number): Run | undefined;
  /** Fetches the pages rows first..last fall on, if missing. */
  want(first: number, last: number): void;
  retry(): void;
}

export function useRunPages(
  api: AppApi,
  scheduleId: string,
  query: HistoryQueryInput,
  onRestart: () => void,
): RunPages {
  const [loaded, setLoaded] = useState<Loaded>(NOTHING_LOADED);
  const [error, setError] = useState<string | null>(null);
  const [retries, setRetries] = useState(0);
  const restartRef = useRef(onRestart);
  useEffect(() => {
    restartRef.current = onRestart;
  });

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
      api.history(scheduleId, { ...queryRef.current, offset: page * PAGE_SIZE }).then(
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
    [api, scheduleId],
  );

  const restart = useCallback(() => {
    generation.current += 1;
    inFlight.current = new Set();
    failed.current = new Set();
    setLoaded(NOTHING_LOADED);
    setError(null);
    restartRef.current();
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
    api.history(scheduleId, { ...queryRef.current, offset: 0 }).then(
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
  }, [api, scheduleId]);

  useEffect(
    () =>
      api.subscribe((event) => {
        if (
          (event.type === 'run.started' || event.type === 'run.finished') &&
          event.run.schedule_id === scheduleId
        ) {
          refreshFirstPage();
        }
      }),
    [api, scheduleId, refreshFirstPage],
  );

  const [range, setRange] = useState<[number, number]>([0, -1]);
  const [first, last] = range;
  // Fetch the pages the visible window (with its overscan) falls on and that are missing.
  useEffect(() => {
    if (loaded.total === null || last < 0) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      if (!loaded.pages[page]) loadPage(page);
    }
  }, [first, last, loaded, loadPage, retries]);

  const want = useCallback((a: number, b: number) => {
    setRange((r) => (r[0] === a && r[1] === b ? r : [a, b]));
  }, []);

  const retry = () => {
    if (loaded.total === null) {
      restart();
      return;
    }
    failed.current = new Set();
    setError(null);
    setRetries((n) => n + 1);
  };

  return {
    total: loaded.total,
    error,
    runAt: (index) => loaded.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE],
    want,
    retry,
  };
}
