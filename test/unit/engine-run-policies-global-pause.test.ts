// The global pause: which fires it holds and which it drops, what runs when it is lifted,
// how the API reads it, and the end of a timed one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POWER_POLL_MS } from '../../src/core/power';
import { ScheduleRepository } from '../../src/core/schedules';
import { confStoreFactory } from '../../src/headless/conf-store';
import { HOUR, policiesRig, T0 } from '../helpers/policies-rig';

const rig = policiesRig(beforeEach, afterEach);
const { pauseAll, policies, put, quit, resumeAll } = rig;

describe('fires held by the global pause', () => {
  it('a catch_up schedule runs once, its latest held fire, when the pause is lifted', () => {
    const s = put('sched_a', { catch_up: true, cron: '0 * * * *' });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    rig.time.advanceBy(HOUR);
    p.fire(s, 'schedule', T0 + HOUR);
    expect(rig.started).toEqual([]);
    expect(rig.decisions.map((d) => [d.outcome, d.reason, d.message])).toEqual([
      ['not_run', 'paused', 'schedules are paused until resumed'],
      ['not_run', 'paused', 'schedules are paused until resumed'],
    ]);
    resumeAll(p);
    expect(rig.started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0 + HOUR, chain: null },
    ]);
    expect(rig.decisions[2]).toMatchObject({ trigger: 'catch_up', outcome: 'run' });
    // Released once: lifting it again runs nothing more.
    p.settingsChanged();
    expect(rig.started).toHaveLength(1);
  });

  it('a fire of a schedule without catch_up is dropped', () => {
    const s = put('sched_a', { catch_up: false });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    resumeAll(p);
    expect(rig.started).toEqual([]);
    expect(rig.decisions).toHaveLength(1);
  });

  it('changes while still paused release nothing', () => {
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T12:00:00Z' });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    // The pause is made a timed one, and the schedule is renamed: still paused.
    pauseAll(T0 + HOUR);
    p.settingsChanged();
    p.scheduleChanged(put('sched_a', { catch_up: true, name: 'renamed' }));
    // Its own pause lifted by hand does not end the global one.
    p.scheduleChanged(put('sched_a', { catch_up: true, paused_until: null }));
    expect(rig.started).toEqual([]);
    expect(rig.decisions).toHaveLength(1);
    resumeAll(p);
    expect(rig.started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it('a fire missed while catch_up was off is not caught up once it is turned on', () => {
    const s = put('sched_a', { catch_up: false });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    p.scheduleChanged(put('sched_a', { catch_up: true }));
    resumeAll(p);
    expect(rig.started).toEqual([]);
  });

  it('an overlap skip is not held for later, even with catch_up', () => {
    const s = put('sched_a', { catch_up: true });
    rig.running.set('sched_a', 'cmd_prev');
    const p = policies();
    p.fire(s, 'schedule', T0);
    rig.running.clear();
    p.settingsChanged();
    p.scheduleChanged(s);
    expect(rig.started).toEqual([]);
    expect(rig.decisions.map((d) => d.reason)).toEqual(['overlap']);
    // Nothing was kept for it either: a restart reads held.json without complaint.
    quit(p);
    policies();
    expect(rig.lines.filter((l) => !l.startsWith('info'))).toEqual([]);
  });

  it('a paused fire does not set the power watch looking at the power', () => {
    const s = put('sched_a', { catch_up: true });
    pauseAll(null);
    const p = policies();
    p.fire(s, 'schedule', T0);
    rig.time.advanceBy(10 * POWER_POLL_MS);
    expect(rig.powerReads).toBe(0);
  });

  it('disabling a schedule, or turning catch_up off, drops its held fire for good', () => {
    const a = put('sched_a', { catch_up: true });
    const b = put('sched_b', { catch_up: true });
    const c = put('sched_c', { catch_up: true });
    pauseAll(null);
    const p = policies();
    for (const s of [a, b, c]) p.fire(s, 'schedule', T0);
    p.scheduleChanged(put('sched_a', { catch_up: true, enabled: false }));
    p.scheduleChanged(put('sched_a', { catch_up: true, enabled: true }));
    p.scheduleChanged(put('sched_b', { catch_up: false }));
    p.scheduleChanged(put('sched_b', { catch_up: true }));
    resumeAll(p);
    expect(rig.started.map((r) => r.id)).toEqual(['sched_c']);
  });

  it('a held fire whose schedule was disabled, lost catch_up or was removed while the app was off does not run', () => {
    for (const id of ['sched_a', 'sched_b', 'sched_c', 'sched_d']) put(id, { catch_up: true });
    pauseAll(null);
    const first = policies();
    for (const s of rig.repo.all()) first.fire(s, 'schedule', T0);
    quit(first);
    put('sched_a', { catch_up: true, enabled: false });
    put('sched_b', { catch_up: false });
    rig.repo.delete('sched_c');
    const p = policies();
    resumeAll(p);
    expect(rig.started).toEqual([
      { id: 'sched_d', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
    expect(rig.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

describe('a held fire of a schedule broken by hand while the app was off', () => {
  it('does not run when the pause is lifted', () => {
    put('sched_x', { catch_up: true });
    put('sched_ok', { catch_up: true });
    pauseAll(null);
    const first = policies();
    for (const s of rig.repo.all()) first.fire(s, 'schedule', T0);
    quit(first);
    rig.repo.close();
    const path = join(rig.dir, 'config.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.schedules.sched_x.cron = 'bad';
    writeFileSync(path, JSON.stringify(file));
    rig.repo = ScheduleRepository.open(confStoreFactory, rig.dir, rig.time.clock, rig.log);
    expect(rig.repo.error('sched_x')).toMatch(/cron/);
    const p = policies();
    resumeAll(p);
    expect(rig.started).toEqual([
      { id: 'sched_ok', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
  });
});

describe('the global pause as the API reads it', () => {
  it('not paused, paused until resumed, and paused until an instant', () => {
    const p = policies();
    expect(p.globalPause()).toStrictEqual({ paused: false, paused_until: null });
    pauseAll(null);
    expect(p.globalPause()).toStrictEqual({ paused: true, paused_until: null });
    pauseAll(T0 + HOUR);
    expect(p.globalPause()).toStrictEqual({ paused: true, paused_until: '2026-06-01T11:00:00Z' });
  });
});

describe('the end of a timed global pause', () => {
  it('writes paused:false (other settings kept), logs it, tells listeners and runs held fires', () => {
    const s = put('sched_a', { catch_up: true });
    rig.repo.updateSettings({
      ...rig.repo.settings(),
      notifications: { muted: true },
      history: { max_runs: 50, max_age_days: 7 },
    });
    pauseAll(T0 + HOUR);
    const before = rig.repo.settings();
    const p = policies();
    const heard: string[] = [];
    p.onSettingsChanged(() => heard.push('kept'));
    const unsubscribe = p.onSettingsChanged(() => heard.push('unsubscribed'));
    unsubscribe();
    p.fire(s, 'schedule', T0);
    rig.time.advanceTo(T0 + HOUR - 1);
    expect(rig.started).toEqual([]);
    expect(heard).toEqual([]);
    rig.time.advanceTo(T0 + HOUR);
    expect(rig.repo.settings()).toEqual({ ...before, paused: false, paused_until: null });
    expect(rig.lines).toContain('info the timed pause of all schedules ended');
    expect(heard).toEqual(['kept']);
    expect(rig.started).toEqual([
      { id: 'sched_a', trigger: 'catch_up', scheduledFor: T0, chain: null },
    ]);
    expect(p.globalPause()).toStrictEqual({ paused: false, paused_until: null });
  });

  it('when the settings cannot be saved, says so and still ends the pause', () => {
    const s = put('sched_a', { catch_up: true });
    pauseAll(T0 + HOUR);
    const p = policies();
    let heard = 0;
    p.onSettingsChanged(() => heard++);
    p.fire(s, 'schedule', T0);
    rig.repo.updateSettings = () => {
      throw new Error('disk full');
    };
    rig.time.advanceTo(T0 + HOUR);
    expect(rig.lines).toContain(
      'warn the pause ended but the settings could not be saved: disk full',
    );
    expect(rig.lines).toContain('info the timed pause of all schedules ended');
    expect(heard).toBe(1);
    expect(p.globalPause().paused).toBe(false);
    expect(rig.started.map((r) => r.trigger)).toEqual(['catch_up']);
  });

  it("the end of a schedule's own pause does not end the global pause", () => {
    pauseAll(null);
    const s = put('sched_a', { catch_up: true, paused_until: '2026-06-01T11:00:00Z' });
    const p = policies();
    let heard = 0;
    p.onSettingsChanged(() => heard++);
    p.fire(s, 'schedule', T0);
    rig.time.advanceTo(T0 + HOUR);
    expect(rig.repo.settings()).toMatchObject({ paused: true, paused_until: null });
    expect(rig.lines).not.toContain('info the timed pause of all schedules ended');
    expect(heard).toBe(0);
    expect(rig.started).toEqual([]);
  });
});
