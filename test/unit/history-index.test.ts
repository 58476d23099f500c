// The compact history index answers exactly as a plain list would: pages, `since` by binary
// search, status filters, runs re-recorded with a new start, and older history whose run and
// command ids are not twins. fast-check generates the histories; a naive filter is the oracle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/core/history';
import { silentLogger } from '../../src/core/log';
import { formatTimestamp } from '../../src/shared/time';
import { RUN_STATUSES, type Run, type RunStatus } from '../../src/shared/types';

const SCHED = 'sched_prop';
const T0 = Date.parse('2026-05-01T00:00:00Z');

function run(i: number, startS: number, status: RunStatus, twin: boolean): Run {
  const suffix = `p${String(i).padStart(6, '0')}`;
  return {
    // The fields kept outside the entry itself (shared or in side maps) vary too.
    attempt: 1 + (i % 3),
    retry_of: i % 3 ? `cmd_first${i}` : null,
    shell: i % 2 ? '/bin/bash -l -c' : i % 5 ? '/bin/sh -c' : null,
    env_file: i % 4 === 1 ? '/etc/job.env' : null,
    id: `run_${suffix}`,
    command_id: twin ? `cmd_${suffix}` : `cmd_other${i}`,
    started_at: formatTimestamp(T0 + startS * 1000),
    finished_at: status === 'running' ? null : formatTimestamp(T0 + startS * 1000 + 2000),
    exit_code: status === 'success' ? 0 : status === 'failure' ? 3 : null,
    duration: status === 'running' ? null : 2000,
    stdout: i % 3 === 0 ? `out ${i}` : '',
    stderr: '',
    schedule_id: SCHED,
    trigger: i % 2 ? 'schedule' : 'manual',
    status,
    scheduled_for: i % 2 ? formatTimestamp(T0 + startS * 1000) : null,
    signal: null,
    truncated: false,
  };
}

const historyArb = fc.array(
  fc.record({
    start: fc.integer({ min: 0, max: 12 }), // many share a second: ties must keep order
    status: fc.constantFrom(...RUN_STATUSES),
    twin: fc.boolean(),
    // Sometimes re-record an earlier run (its final state, maybe a corrected start).
    again: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined, freq: 2 }),
  }),
  { maxLength: 60 },
);

const queryArb = fc.record({
  since: fc.option(fc.integer({ min: -1, max: 14 }), { nil: undefined }),
  status: fc.option(fc.constantFrom(...RUN_STATUSES), { nil: undefined }),
  offset: fc.integer({ min: 0, max: 30 }),
  limit: fc.integer({ min: 1, max: 25 }),
});

describe('the history index (property)', () => {
  it('pages, since and status equal a naive filter of the newest state of each run', () => {
    fc.assert(
      fc.property(historyArb, queryArb, (steps, q) => {
        const dir = mkdtempSync(join(tmpdir(), 'cmdop-hidx-'));
        try {
          const store = new HistoryStore({
            dir,
            clock: { now: () => T0 + 600_000 },
            log: silentLogger,
            retention: () => ({ max_runs: 100_000, max_age_days: 3650 }),
            schedule: () => {},
          });
          store.open(T0);
          // The oracle: the newest record per run id, in the order runs first appeared.
          const latest = new Map<string, { run: Run; order: number }>();
          steps.forEach((step, i) => {
            const earlier = step.again !== undefined ? [...latest.values()][step.again] : undefined;
            const r = earlier
              ? {
                  ...earlier.run,
                  status: step.status,
                  started_at: run(0, step.start, 'success', true).started_at,
                }
              : run(i, step.start, step.status, step.twin);
            store.append(r);
            const order = latest.get(r.id)?.order ?? latest.size;
            latest.set(r.id, { run: r, order });
          });
          const sinceMs = q.since === undefined ? undefined : T0 + q.since * 1000;
          const expected = [...latest.values()]
            .filter(({ run: r }) => sinceMs === undefined || Date.parse(r.started_at) >= sinceMs)
            .filter(({ run: r }) => q.status === undefined || r.status === q.status)
            .sort(
              (a, b) =>
                Date.parse(b.run.started_at) - Date.parse(a.run.started_at) || b.order - a.order,
            )
            .map(({ run: r }) => r);
          const got = store.list(SCHED, {
            since: sinceMs,
            status: q.status,
            offset: q.offset,
            limit: q.limit,
          });
          expect(got.total).toBe(expected.length);
          expect(got.data.map((r) => r.id)).toEqual(
            expected.slice(q.offset, q.offset + q.limit).map((r) => r.id),
          );
          // Every run is found by its command id, and comes back as it was recorded.
          for (const { run: r } of latest.values())
            expect(store.getByCommand(r.command_id)).toEqual(r);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 150, seed: 1130 },
    );
  });
});

describe('the history index (ties)', () => {
  it('a run re-recorded with a new start keeps its first-record order among equal starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmdop-hidx-'));
    try {
      const store = new HistoryStore({
        dir,
        clock: { now: () => T0 + 600_000 },
        log: silentLogger,
        retention: () => ({ max_runs: 1000, max_age_days: 90 }),
        schedule: () => {},
      });
      store.open(T0);
      store.append(run(1, 5, 'success', true)); // A, recorded first
      store.append(run(2, 7, 'success', true)); // B
      store.append({ ...run(1, 7, 'success', true) }); // A again, now starting with B
      const ids = store.list(SCHED, { offset: 0, limit: 10 }).data.map((r) => r.id);
      expect(ids).toEqual(['run_p000002', 'run_p000001']); // B (recorded later) is newer
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
