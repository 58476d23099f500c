// @ts-nocheck
// 
// `npm run bench`: figures for the engine's hot paths. It prints; it never passes or fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { nextFireTime } from '../src/shared/cron';
import { HistoryStore } from '../src/core/history';
import { OutputCapture } from '../src/core/output';
import { silentLogger } from '../src/core/log';
import { startRun } from '../src/core/runner';
import type { Run } from '../src/shared/types';

const clock = { now: () => Date.now() };
const from = Date.parse('2026-11-29T18:30:00Z');

describe('next fire (per schedule, cached by the scheduler)', () => {
  bench('0 3 * * * in UTC', () => void nextFireTime('0 3 * * *', 'UTC', from));
  bench(
    '0 3 * * * in America/New_York',
    () => void nextFireTime('0 3 * * *', 'America/New_York', from),
  );
  bench('0 0 29 2 * in America/New_York (DST gap scan over 15 months)', () => {
    nextFireTime('0 0 29 2 *', 'America/New_York', from);
  });
  bench('* * * * * * in UTC', () => void nextFireTime('* * * * * *', 'UTC', from));
});

const dir = mkdtempSync(join(tmpdir(), 'cmdop-bench-'));
const history = new HistoryStore({
  dir,
  clock,
  log: silentLogger,
  retention: () => ({ max_runs: 1000, max_age_days: 90 }),
});
history.open(Date.now());
let n = 0;
function run(): Run {
  n++;
  const at = new Date(from + n * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    id: `run_${n}`,
    started_at: at,
    finished_at: at,
    exit_code: 0,
    duration: 10,
    stdout: 'ok\n',
    stderr: '',
    schedule_id: 'sched_bench',
    command_id: `cmd_${n}`,
    trigger: 'schedule',
    status: 'success',
    scheduled_for: at,
    signal: null,
    truncated: false,
    attempt: 1,
    retry_of: null,
    shell: null,
    env_file: null,
  };
}
for (let i = 0; i < 1000; i++) history.append(run());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('history', () => {
  bench('append one finished run', () => history.append(run()));
  bench('read a page of 20 (newest first) from 1,000 runs', () => {
    history.list('sched_bench', { limit: 20, offset: 0 });
  });
});

describe('output capture', () => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  bench('capture 50 MB in 64 KiB chunks (memory stays at 256 KiB)', () => {
    const c = new OutputCapture();
    for (let i = 0; i < 800; i++) c.push(chunk);
    c.text();
  });
});

describe('runner', () => {
  bench(
    'spawn `true` in the shell and wait for it',
    async () => {
      await startRun({ command: 'true', cwd: tmpdir(), env: process.env, timeoutMs: null }, clock)
        .done;
    },
    { iterations: 50 },
  );
});
