// The fire preview against a real schedule store in a temp dir, with the clock and the pause
// in force chosen by the test: which fires a pause holds back (never one already past, never
// one at or after the resume), the meta that says so, the errors a client reads, and odd
// historical offsets written with their seconds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirePreview, formatOffset } from '../../src/core/fire-preview';
import type { Logger } from '../../src/core/log';
import { ScheduleRepository } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import { apiRejection } from '../helpers/api-error';
import type { FiresResult } from '../../src/shared/fires-api';
import { hostRig } from '../helpers/host-rig';
import { storedSchedule } from '../helpers/stored-schedule';

const silent: Logger = { info() {}, warn() {}, error() {} };
const at = (iso: string) => Date.parse(iso);

let dir: string;
let repo: ScheduleRepository;
let now: number;
let resume: number | null;
let preview: FirePreview;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-fire-preview-'));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      schemaVersion: 1,
      schedules: {
        sched_hourly: storedSchedule('sched_hourly', { cron: '0 * * * *' }),
        sched_broken: storedSchedule('sched_broken', { cron: 'bad' }),
      },
    }),
  );
  now = at('2026-03-29T02:30:00Z');
  resume = now + 1; // not paused unless a test says so
  repo = ScheduleRepository.open(confStoreFactory, dir, { now: () => now }, silent);
  preview = new FirePreview({ repo, clock: { now: () => now }, resumesAt: () => resume });
});
afterEach(() => {
  repo.close();
  rmSync(dir, { recursive: true, force: true });
});

const marks = (r: FiresResult) => r.data.map((f) => [f.at, f.paused]);

describe('FirePreview.scheduleFires under a pause', () => {
  it('marks only the fires from now until the resume; past ones and the resume itself run', async () => {
    resume = at('2026-03-29T05:00:00Z');
    const r = await preview.scheduleFires('sched_hourly', {
      from: '2026-03-29T00:30:00Z',
      count: 6,
    });
    expect(marks(r)).toEqual([
      ['2026-03-29T01:00:00Z', false],
      ['2026-03-29T02:00:00Z', false],
      ['2026-03-29T03:00:00Z', true],
      ['2026-03-29T04:00:00Z', true],
      ['2026-03-29T05:00:00Z', false],
      ['2026-03-29T06:00:00Z', false],
    ]);
    expect(r.meta).toMatchObject({ paused: true, paused_until: '2026-03-29T05:00:00Z' });
  });

  it('paused until resumed: a fire due exactly now and every later one are held', async () => {
    now = at('2026-03-29T03:00:00Z');
    resume = null;
    const r = await preview.scheduleFires('sched_hourly', {
      from: '2026-03-29T01:30:00Z',
      count: 4,
    });
    expect(marks(r)).toEqual([
      ['2026-03-29T02:00:00Z', false],
      ['2026-03-29T03:00:00Z', true],
      ['2026-03-29T04:00:00Z', true],
      ['2026-03-29T05:00:00Z', true],
    ]);
    expect(r.meta).toMatchObject({ paused: true, paused_until: null });
  });

  it('a pause that ends now or ended before holds nothing back', async () => {
    for (const ended of [now, now - 3_600_000]) {
      resume = ended;
      const r = await preview.scheduleFires('sched_hourly', { count: 3 });
      expect(marks(r)).toEqual([
        ['2026-03-29T03:00:00Z', false],
        ['2026-03-29T04:00:00Z', false],
        ['2026-03-29T05:00:00Z', false],
      ]);
      expect(r.meta).toMatchObject({ paused: false, paused_until: null });
    }
  });
});

describe('FirePreview.scheduleFires errors', () => {
  it('a bad query names the query and the field', async () => {
    const e = await apiRejection(preview.scheduleFires('sched_hourly', { count: 0 }));
    expect(e.code).toBe('validation_error');
    expect(e.message).toMatch(/^Invalid query: count: /);
    expect(Object.keys(e.details.fields as object)).toEqual(['count']);
  });

  it('an unknown schedule is not found, by name', async () => {
    const e = await apiRejection(preview.scheduleFires('sched_none'));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('Schedule sched_none not found');
  });

  it('a schedule the store could not read cannot be previewed, and says why', async () => {
    const e = await apiRejection(preview.scheduleFires('sched_broken'));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/^Schedule sched_broken cannot fire until it is fixed: .*cron/);
    expect(e.details).toEqual({ error: repo.error('sched_broken') });
  });
});

describe('FirePreview.cronFires', () => {
  it('a bad expression names the request and the field', async () => {
    const e = await apiRejection(preview.cronFires({ cron: '0 0 * *' }));
    expect(e.message).toMatch(/^Invalid request: cron: /);
  });
});

describe('formatOffset', () => {
  it('writes hours and minutes, and seconds only when there are some', () => {
    expect(formatOffset(5.5 * 3_600_000)).toBe('+05:30');
    expect(formatOffset(0)).toBe('+00:00');
    expect(formatOffset(-4 * 3_600_000)).toBe('-04:00');
    // Amsterdam until 1937 (+00:19:32), Monrovia until 1972 (-00:44:30).
    expect(formatOffset((19 * 60 + 32) * 1000)).toBe('+00:19:32');
    expect(formatOffset(-(44 * 60 + 30) * 1000)).toBe('-00:44:30');
    expect(formatOffset(-(4 * 3600 + 56 * 60 + 2) * 1000)).toBe('-04:56:02');
  });
});

describe('FirePreview in the composed host, on a clock that moves between reads', () => {
  const { open } = hostRig(afterEach);

  // A real clock ticks while a request is served: the preview once read "now" twice, and a
  // millisecond between the reads showed an unpaused schedule as "PAUSED until (now)".
  it('an unpaused schedule is never shown paused', async () => {
    let ms = at('2026-03-29T02:30:00Z');
    const { host } = open({ clock: { now: () => ms++ } });
    const s = await host.router.create({
      name: 'ticks',
      machine_id: 'local',
      command: 'true',
      cron: '0 * * * *',
    });
    for (let i = 0; i < 20; i++) {
      const r = await host.fires.scheduleFires(s.id, { count: 2 });
      expect(r.meta).toMatchObject({ paused: false, paused_until: null });
      expect(r.data.map((f) => f.paused)).toEqual([false, false]);
    }
  });
});
