// Timed pauses (src/core/pause.ts): when a pause stands, when fires run again, and the watch
// that wakes at each pause's end, driven by FakeTime.
import { describe, expect, it } from 'vitest';
import {
  globalPause,
  PauseWatch,
  resumesAt,
  schedulePause,
  unpausedNext,
} from '../../src/core/pause';
import { MAX_WAIT_MS } from '../../src/core/scheduler';
import { FakeTime } from '../helpers/fake-time';
import { captureLog } from '../helpers/server';

const now = Date.parse('2026-06-01T10:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('the global pause', () => {
  it('is off unless paused, whatever paused_until says', () => {
    expect(globalPause({ paused: false, paused_until: '2026-06-01T11:00:00Z' }, now)).toEqual({
      paused: false,
    });
  });

  it('stands until its instant, and ends exactly at it', () => {
    const until = '2026-06-01T11:00:00Z';
    expect(globalPause({ paused: true, paused_until: until }, now)).toEqual({
      paused: true,
      until: at(until),
    });
    expect(globalPause({ paused: true, paused_until: until }, at(until))).toEqual({
      paused: false,
    });
    expect(globalPause({ paused: true, paused_until: until }, at(until) - 1)).toEqual({
      paused: true,
      until: at(until),
    });
  });

  it('an unreadable instant is no pause', () => {
    expect(globalPause({ paused: true, paused_until: 'soon' }, now)).toEqual({ paused: false });
  });
});

describe("a schedule's own pause", () => {
  it('none without paused_until, or once its instant has come', () => {
    expect(schedulePause({ paused_until: null }, now)).toEqual({ paused: false });
    expect(schedulePause({ paused_until: '2026-06-01T10:00:00Z' }, now)).toEqual({
      paused: false,
    });
    expect(schedulePause({ paused_until: 'never' }, now)).toEqual({ paused: false });
  });

  it('stands while its instant is ahead', () => {
    expect(schedulePause({ paused_until: '2026-06-01T10:00:00.001Z' }, now)).toEqual({
      paused: true,
      until: now + 1,
    });
  });
});

describe('when fires run again', () => {
  it('now without a pause; at the later end of two; never while one lasts until resumed', () => {
    expect(resumesAt([], now)).toBe(now);
    expect(resumesAt([{ paused: false }], now)).toBe(now);
    expect(
      resumesAt(
        [
          { paused: true, until: now + 7_200_000 },
          { paused: true, until: now + 3_600_000 },
        ],
        now,
      ),
    ).toBe(now + 7_200_000);
    expect(resumesAt([{ paused: false }, { paused: true, until: null }], now)).toBeNull();
  });

  it('next_run: the planned fire if the pause is over by then, else the first at or after the end', () => {
    const hourly = (from: number) => (Math.floor(from / 3_600_000) + 1) * 3_600_000;
    const at11 = at('2026-06-01T11:00:00Z');
    // A fire due exactly when the pause ends runs.
    expect(unpausedNext(at('2026-06-01T10:30:00Z'), at11, hourly)).toBe(at11);
    expect(unpausedNext(at11, at11, hourly)).toBe(at11);
    expect(unpausedNext(at('2026-06-01T12:00:00Z'), at11, hourly)).toBe(at('2026-06-01T12:00:00Z'));
    expect(unpausedNext(null, at11, hourly)).toBeNull();
  });
});

describe('the pause watch', () => {
  function watch(ends: Map<string, number>, failOn?: string) {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const log = captureLog();
    const ended: { key: string; at: number }[] = [];
    const w = new PauseWatch({
      clock: time.clock,
      timers: time,
      log,
      ends: () => new Map([...ends].filter(([, end]) => end > time.ms)),
      onEnded: (key) => {
        ended.push({ key, at: time.ms });
        if (key === failOn) throw new Error('store refused');
      },
    });
    return { time, log, ended, w };
  }

  it('nothing is told before start', () => {
    const { time, ended } = watch(new Map([['', now + 45_000]]));
    time.advanceBy(120_000);
    expect(ended).toEqual([]);
  });

  it('tells each pause that ended, at its end', () => {
    const { time, ended, w } = watch(
      new Map([
        ['', now + 45_000],
        ['sched_a', now + 90_000],
      ]),
    );
    w.start();
    time.advanceBy(44_999);
    expect(ended).toEqual([]);
    time.advanceBy(1);
    expect(ended).toEqual([{ key: '', at: now + 45_000 }]);
    time.advanceBy(45_000);
    expect(ended).toEqual([
      { key: '', at: now + 45_000 },
      { key: 'sched_a', at: now + 90_000 },
    ]);
  });

  it('stops telling once stopped, even when refreshed after', () => {
    const { time, ended, w } = watch(new Map([['', now + 10_000]]));
    w.start();
    w.stop();
    w.refresh();
    time.advanceBy(60_000);
    expect(ended).toEqual([]);
    expect(time.pendingCount).toBe(0);
  });

  it('a refresh before start keeps it quiet; after start it follows a moved end', () => {
    const ends = new Map([['', now + 10_000]]);
    const { time, ended, w } = watch(ends);
    w.refresh();
    time.advanceBy(20_000);
    expect(ended).toEqual([]);
    ends.set('', time.ms + 50_000);
    w.start();
    ends.set('', time.ms + 20_000);
    w.refresh();
    time.advanceBy(20_000);
    expect(ended).toEqual([{ key: '', at: now + 40_000 }]);
  });

  it('sets no timer while nothing is paused', () => {
    const { time, w } = watch(new Map());
    w.start();
    expect(time.pendingCount).toBe(0);
  });

  it('a failing end is logged and the others still end', () => {
    const { time, ended, log, w } = watch(
      new Map([
        ['sched_a', now + 5_000],
        ['', now + 5_000],
      ]),
      'sched_a',
    );
    w.start();
    time.advanceBy(5_000);
    expect(ended.map((e) => e.key)).toEqual(['sched_a', '']);
    expect(log.lines).toEqual(['error ending the pause of sched_a: store refused']);
  });

  it('a failing global end is logged as all schedules', () => {
    const { time, log, w } = watch(new Map([['', now + 5_000]]), '');
    w.start();
    time.advanceBy(5_000);
    expect(log.lines).toEqual(['error ending the pause of all schedules: store refused']);
  });

  it('a clock stepped past a far end is noticed within the capped wait', () => {
    const { time, ended, w } = watch(new Map([['', now + 86_400_000]]));
    w.start();
    time.jump(86_400_000);
    time.advanceBy(MAX_WAIT_MS);
    expect(ended.map((e) => e.key)).toEqual(['']);
    expect(ended[0]?.at).toBeLessThanOrEqual(now + 86_400_000 + MAX_WAIT_MS);
  });
});
