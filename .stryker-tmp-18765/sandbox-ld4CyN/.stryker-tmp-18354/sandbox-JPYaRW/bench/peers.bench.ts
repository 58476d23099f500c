// @ts-nocheck
// 
// `npm run bench`: the engine's cron work side by side with peers in the same run (vitest
// prints the ratios). Process-level figures (start-up, idle CPU, RSS, fire latency, HTTP)
// are in `npm run bench:scale` (scripts/scale.mjs).
import { Cron } from 'croner';
import cron from 'node-cron';
import { afterAll, bench, describe } from 'vitest';
import { silentLogger } from '../src/core/log';
import { Scheduler } from '../src/core/scheduler';
import { nextFireTime } from '../src/shared/fires';

const from = Date.parse('2026-11-29T18:30:00Z');
const JOBS = 1000;

describe(`plan ${JOBS} daily jobs in New York`, () => {
  bench('ours (Scheduler.planFrom)', () => {
    const s = new Scheduler({
      clock: { now: () => from },
      timers: { setTimeout: () => 0, clearTimeout: () => {} },
      log: silentLogger,
      onFire: () => {},
    });
    for (let i = 0; i < JOBS; i++) {
      s.planFrom(
        {
          id: `s${i}`,
          cron: '0 3 * * *',
          timezone: 'America/New_York',
          enabled: true,
          catch_up: false,
          updatedAt: 0,
        },
        from,
      );
    }
  });
  bench('croner (new Cron, paused)', () => {
    for (let i = 0; i < JOBS; i++) {
      new Cron('0 3 * * *', {
        timezone: 'America/New_York',
        paused: true,
        startAt: new Date(from),
      }).nextRun();
    }
  });
  const tasks: { stop(): unknown }[] = [];
  bench('node-cron (createTask)', () => {
    for (let i = 0; i < JOBS; i++) {
      tasks.push(cron.createTask('0 3 * * *', () => {}, { timezone: 'America/New_York' }));
    }
  });
  afterAll(() => {
    for (const t of tasks) t.stop();
  });
});

describe('next fire of 0 3 * * * in New York', () => {
  bench('ours (nextFireTime)', () => void nextFireTime('0 3 * * *', 'America/New_York', from));
  const job = new Cron('0 3 * * *', { timezone: 'America/New_York', paused: true });
  bench('croner (nextRun)', () => void job.nextRun(new Date(from)));
});
