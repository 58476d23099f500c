// The remembered next fires (src/core/plan-cache.ts) in plan.json in a temp dir: what a
// restart reuses, and what it ignores.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLAN_FILE, PlanCache, planKey } from '../../src/core/plan-cache';
import { captureLog, tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
const daily = { id: 'sched_a', cron: '0 3 * * *', timezone: 'UTC' };
const hourly = { id: 'sched_b', cron: '0 * * * *', timezone: 'Europe/Berlin' };

describe('the plan cache', () => {
  it('reads back what it wrote, keyed by cron and zone', () => {
    const d = dir();
    const cache = new PlanCache(d, captureLog());
    cache.write([
      { schedule: daily, next: 1000 },
      { schedule: hourly, next: 2000 },
    ]);
    expect(new PlanCache(d, captureLog()).read()).toEqual(
      new Map([
        ['sched_a', [planKey(daily), 1000]],
        ['sched_b', [planKey(hourly), 2000]],
      ]),
    );
    expect(planKey(daily)).not.toBe(planKey({ ...daily, timezone: 'Europe/Berlin' }));
    expect(planKey(daily)).not.toBe(planKey({ ...daily, cron: '0 4 * * *' }));
    expect(planKey(daily).startsWith('0 3 * * *\u0000UTC\u0000')).toBe(true);
  });

  it('is empty without a file, for damage, or another version; bad entries are dropped', () => {
    const d = dir();
    const cache = new PlanCache(d, captureLog());
    const path = join(d, PLAN_FILE);
    expect(cache.read()).toEqual(new Map());
    writeFileSync(path, '{oops');
    expect(cache.read()).toEqual(new Map());
    writeFileSync(path, JSON.stringify({ v: 2, fires: { sched_a: ['k', 1] } }));
    expect(cache.read()).toEqual(new Map());
    writeFileSync(path, JSON.stringify({ v: 1, fires: null }));
    expect(cache.read()).toEqual(new Map());
    writeFileSync(path, JSON.stringify({ v: 1, fires: 'many' }));
    expect(cache.read()).toEqual(new Map());
    writeFileSync(path, JSON.stringify({ v: 1 }));
    expect(cache.read()).toEqual(new Map());
    writeFileSync(
      path,
      JSON.stringify({
        v: 1,
        fires: {
          ok: ['k', 5],
          notArray: { 0: 'k', 1: 5 },
          noKey: [7, 5],
          noNext: ['k', 'soon'],
          nullNext: ['k', null],
        },
      }),
    );
    expect(cache.read()).toEqual(new Map([['ok', ['k', 5]]]));
  });

  it('a write that fails is a warning: it is only a cache', () => {
    const d = join(dir(), 'file');
    writeFileSync(d, '');
    const log = captureLog();
    new PlanCache(d, log).write([{ schedule: daily, next: 1 }]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/^warn could not remember the planned fires: ENOTDIR/);
  });
});
