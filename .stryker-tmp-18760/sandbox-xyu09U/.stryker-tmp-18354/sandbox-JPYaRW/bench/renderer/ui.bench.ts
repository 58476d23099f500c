// @ts-nocheck
// 
// `npm run bench`: figures for the UI's hot paths with a thousand schedules — a burst of
// run events applied in one frame, the list's filter and sort per keystroke, the live log.
// It prints; it never passes or fails.
import { bench, describe } from 'vitest';
import { appendLog, EMPTY_LOG, logText, mergeChunk } from '../../src/shared/output-log';
import type { ApiEvent } from '../../src/shared/events';
import type { Run, Schedule } from '../../src/shared/types';
import { applyEvents, fromSnapshot } from '../../src/renderer/src/store/schedules';
import { visibleSchedules } from '../../src/renderer/src/store/select';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

const schedules: Schedule[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `sched_${i}`,
  name: `Schedule ${i}`,
  description: '',
  machine_id: 'mach_a',
  command: i % 3 === 0 ? 'backup.sh' : 'sync.sh',
  cron: '*/5 * * * *',
  enabled: true,
  timezone: 'UTC',
  timeout: null,
  notify: { on_success: false, on_failure: true },
  next_run: `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z`,
  last_run: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  cwd: null,
  env: {},
  overlap: 'skip',
  catch_up: false,
  ...POLICY_DEFAULTS,
  running: false,
}));
const state = fromSnapshot(schedules);

const burst: ApiEvent[] = [];
for (let i = 0; i < 107; i++) {
  const run = {
    id: `run_${i}`,
    command_id: `cmd_${i}`,
    schedule_id: `sched_${i * 9}`,
    started_at: '2026-01-01T00:05:00Z',
    status: 'running',
  } as Run;
  burst.push({ type: 'run.started', run });
  burst.push({ type: 'run.finished', run: { ...run, status: 'success', duration: 10 } });
}

describe('UI store, 1,000 schedules', () => {
  bench('apply a burst of 107 runs (214 events) in one frame', () => {
    applyEvents(state, burst);
  });
  bench('filter and sort the list for one keystroke (search "backup", by next run)', () => {
    visibleSchedules({
      schedules: state,
      filters: { machineId: 'all', enabled: 'all', search: 'backup', sort: 'next', lastRun: 'all' },
    });
  });
});

describe('live output log', () => {
  const line = 'x'.repeat(79) + '\n';
  bench('append 1,000 lines of 80 characters', () => {
    let log = EMPTY_LOG;
    for (let i = 0; i < 1000; i++) log = appendLog(log, line);
  });
  let big = EMPTY_LOG;
  for (let i = 0; i < 5000; i++) big = appendLog(big, line);
  bench('text of a 400 KB log (head, marker, tail)', () => void logText(big));
  bench('merge a chunk by offset', () => void mergeChunk(big, line, big.total - 40));
});
