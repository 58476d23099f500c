// Storage problems and failed runs told to the desktop, and the decision log the host keeps
// (on disk, on the schedule, on the bus) for the fires it ran, skipped or missed.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../../src/core/host';
import { DECISIONS_DIR } from '../../src/core/decisions/store';
import { HEARTBEAT_FILE } from '../../src/core/heartbeat';
import type { ApiEvent } from '../../src/shared/events';
import type { FireDecision } from '../../src/core/fire-decisions';
import type { Run } from '../../src/shared/types';
import { FakeTime } from '../helpers/fake-time';
import { BASE, finished, T0 } from '../helpers/host-rig';
import { enospc, hostMutantsRig } from '../helpers/host-mutants-rig';

const { open, hosts } = hostMutantsRig(afterEach);

/** The next event the predicate picks. */
function next(host: Host, pick: (e: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const stop = host.events.subscribe((e) => {
      if (pick(e)) {
        stop();
        resolve(e);
      }
    });
  });
}

async function runNowToEnd(host: Host, id: string): Promise<Run> {
  let commandId: string | null = null;
  const done = finished(host, () => commandId);
  commandId = (await host.router.runNow(id)).command_id;
  return done;
}

/** One turn of the event loop: notices are handed to the notifier a microtask later. */
const settle = () => new Promise<void>((r) => setImmediate(r));

function mute(host: Host, muted: boolean) {
  const settings = host.repo.settings();
  host.repo.updateSettings({ ...settings, notifications: { muted } });
}

describe('storage problems', () => {
  it('are said on the bus, and told to the desktop once per episode unless muted', async () => {
    const { host, events, notifier } = open();
    host.storage.failed('store', '/nowhere', enospc());
    const problem = host.storage.status().problem;
    expect(problem).toMatchObject({ scope: 'store', path: '/nowhere', code: 'ENOSPC' });
    expect(events.filter((e) => e.type === 'storage.changed')).toEqual([
      { type: 'storage.changed', storage: { ok: false, problem } },
    ]);
    await settle();
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({
      title: 'Cmdop Scheduler cannot save',
      body: problem?.message,
    });
    host.storage.succeeded('store');
    expect(events.at(-1)).toEqual({
      type: 'storage.changed',
      storage: { ok: true, problem: null },
    });
    mute(host, true);
    host.storage.failed('store', '/muted', enospc());
    host.storage.succeeded('store');
    mute(host, false);
    host.storage.failed('store', '/again', enospc());
    await settle();
    expect(notifier.sent.map((n) => n.body)).toEqual([
      problem?.message,
      host.storage.status().problem?.message,
    ]);
    expect(notifier.sent[1]?.body).toContain('/again');
  });
});

describe('desktop notices of runs', () => {
  it('a failed run is told after the window; muted, none; closing drops one still waiting', async () => {
    const ft = new FakeTime('2026-05-04T12:00:00.250Z');
    const { host, notifier } = open({ timers: ft, clock: ft.clock });
    const s = await host.router.create({ ...BASE, name: 'Nightly', command: 'exit 4' });
    await runNowToEnd(host, s.id);
    expect(notifier.sent).toHaveLength(0);
    ft.advanceBy(2000);
    await settle();
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({ scheduleId: s.id, kind: 'failure' });
    expect(notifier.sent[0]?.title).toContain('Nightly');

    // An ad-hoc command's caller has its answer: no notice.
    const adhoc = await host.router.runCommand({ machine_id: 'local', command: 'exit 3' });
    expect(adhoc.status).toBe('failed');
    ft.advanceBy(2000);
    await settle();
    expect(notifier.sent).toHaveLength(1);

    mute(host, true);
    await runNowToEnd(host, s.id);
    ft.advanceBy(2000);
    await settle();
    expect(notifier.sent).toHaveLength(1);

    mute(host, false);
    await runNowToEnd(host, s.id);
    await host.close();
    ft.advanceBy(5000);
    await settle();
    expect(notifier.sent).toHaveLength(1);
  });
});

describe('the decision log', () => {
  it('records the fires of a disabled spell: on disk, on the schedule, said on the bus', async () => {
    const { host, clock, dataDir, events } = open();
    const s = await host.router.create({ ...BASE, cron: '0 * * * *', enabled: false });
    clock.ms += 3 * 3_600_000;
    const told = next(
      host,
      (e) => e.type === 'schedule.updated' && e.schedule.last_decision !== undefined,
    );
    const u = await host.router.update(s.id, { enabled: true });
    expect(u.enabled).toBe(true);
    const said = (await told) as Extract<ApiEvent, { type: 'schedule.updated' }>;
    const expected = {
      kind: 'skipped_disabled',
      ran: false,
      scheduled_for: '2026-05-04T13:00:00Z',
      last_scheduled_for: '2026-05-04T15:00:00Z',
      count: 3,
      message: 'the schedule was disabled',
    };
    expect(said.schedule).toMatchObject({ id: s.id, last_decision: expected });
    expect(events.filter((e) => e.type === 'schedule.updated')).toHaveLength(2);
    expect((await host.router.get(s.id)).last_decision).toMatchObject(expected);
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data.map((d) => d.kind)).toEqual(['skipped_disabled']);
    const file = join(dataDir, DECISIONS_DIR, `${s.id}.jsonl`);
    expect(readFileSync(file, 'utf8')).toContain('"kind":"skipped_disabled"');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    await host.router.remove(s.id);
    expect(existsSync(file)).toBe(false);
    await expect(host.decisionQueries.decisions(s.id)).rejects.toMatchObject({ status: 404 });
  });

  it('a planned fire that ran is recorded and handed to onDecision', async () => {
    const ft = new FakeTime('2026-05-04T12:59:59.000Z');
    const decided: FireDecision[] = [];
    const { host } = open({ timers: ft, clock: ft.clock, onDecision: (d) => decided.push(d) });
    const s = await host.router.create({ ...BASE, cron: '0 13 * * *', command: 'echo fired' });
    const done = next(host, (e) => e.type === 'run.finished');
    ft.advanceTo('2026-05-04T13:00:00.000Z');
    const ended = (await done) as Extract<ApiEvent, { type: 'run.finished' }>;
    expect(ended.run).toMatchObject({ schedule_id: s.id, stdout: 'fired\n' });
    expect(decided).toEqual([
      expect.objectContaining({
        schedule_id: s.id,
        outcome: 'run',
        scheduled_for: '2026-05-04T13:00:00Z',
      }),
    ]);
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data).toEqual([
      expect.objectContaining({ kind: 'ran', ran: true, command_id: ended.run.command_id }),
    ]);
  });

  it('a host given no onDecision still fires and records', async () => {
    const ft = new FakeTime('2026-05-04T12:59:59.000Z');
    const { host, log } = open({ timers: ft, clock: ft.clock });
    const s = await host.router.create({ ...BASE, cron: '0 13 * * *', command: 'echo fired' });
    const done = next(host, (e) => e.type === 'run.finished');
    ft.advanceTo('2026-05-04T13:00:00.000Z');
    const ended = (await done) as Extract<ApiEvent, { type: 'run.finished' }>;
    expect(ended.run).toMatchObject({ schedule_id: s.id, status: 'success' });
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data.map((d) => d.kind)).toEqual(['ran']);
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('at start, the fires of the time the app was off are missed; a broken schedule is left out', async () => {
    const first = open();
    const s = await first.host.router.create({ ...BASE, cron: '0 * * * *' });
    const broken = await first.host.router.create({ ...BASE, name: 'broken', cron: '0 * * * *' });
    await first.host.close();
    hosts.splice(hosts.indexOf(first.host), 1);
    const store = readFileSync(join(first.dataDir, 'config.json'), 'utf8');
    const edited = store.replace(
      new RegExp(`("id":\\s*"${broken.id}"[^}]*?"cron":\\s*)"0 \\* \\* \\* \\*"`),
      '$1"61 * * * *"',
    );
    expect(edited).not.toBe(store);
    writeFileSync(join(first.dataDir, 'config.json'), edited);
    writeFileSync(
      join(first.dataDir, HEARTBEAT_FILE),
      JSON.stringify({ last_alive: '2026-05-04T12:00:00.250Z' }),
    );
    const later = T0 + 3 * 3_600_000;
    const again = open({ clock: { now: () => later }, dataDir: first.dataDir });
    expect(again.host.repo.error(broken.id)).not.toBeNull();
    const page = await again.host.decisionQueries.decisions(s.id);
    expect(page.data[0]).toMatchObject({
      kind: 'missed',
      reason: 'app_stopped',
      scheduled_for: '2026-05-04T13:00:00Z',
      last_scheduled_for: '2026-05-04T15:00:00Z',
      count: 3,
    });
    expect(again.log.lines.filter((l) => l.includes('at start'))).toEqual([]);
  });
});

describe('what the engine decides, as the host wires it', () => {
  it('fires found long past after a clock jump are recorded as missed', async () => {
    const ft = new FakeTime('2026-05-04T12:30:00.000Z');
    const { host, log } = open({ timers: ft, clock: ft.clock });
    const s = await host.router.create({ ...BASE, cron: '0 * * * *' });
    ft.jump(3 * 3_600_000);
    ft.advanceBy(3_600_000);
    const page = await host.decisionQueries.decisions(s.id);
    expect(page.data).toContainEqual(
      expect.objectContaining({ kind: 'missed', reason: 'clock_jump', ran: false }),
    );
    expect(log.lines.filter((l) => l.includes('missed fires'))).toEqual([]);
  });

  it('on battery, a schedule that must not run on battery does not fire', async () => {
    const ft = new FakeTime('2026-05-04T12:59:59.000Z');
    const decided: FireDecision[] = [];
    const { host, events, dataDir } = open({
      timers: ft,
      clock: ft.clock,
      power: { onBattery: () => true },
      onDecision: (d) => decided.push(d),
    });
    const s = await host.router.create({ ...BASE, cron: '0 * * * *', run_on_battery: false });
    ft.advanceTo('2026-05-04T13:00:00.000Z');
    expect(decided).toEqual([expect.objectContaining({ schedule_id: s.id })]);
    expect(decided[0]?.outcome).not.toBe('run');
    expect(events.filter((e) => e.type === 'run.started')).toEqual([]);
    // The next skip grows the same entry: on disk within a minute (the host's timers).
    const file = join(dataDir, DECISIONS_DIR, `${s.id}.jsonl`);
    const onDisk = () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; count: number });
    expect(onDisk()).toEqual([expect.objectContaining({ kind: 'skipped_battery', count: 1 })]);
    ft.advanceTo('2026-05-04T14:00:00.000Z');
    expect(onDisk()).toHaveLength(1);
    ft.advanceBy(60_000);
    expect(onDisk().at(-1)).toMatchObject({ kind: 'skipped_battery', count: 2 });
    // And closing writes a span grown since.
    ft.advanceTo('2026-05-04T15:00:00.000Z');
    await host.close();
    expect(onDisk().at(-1)).toMatchObject({ kind: 'skipped_battery', count: 3 });
  });
});
