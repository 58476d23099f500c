import { describe, it, expect } from 'vitest';
import {
  buildTrayModel,
  formatRelative,
  lastRunText,
  sameData,
  truncateLabel,
  trayTooltip,
  type TrayMenuItem,
  type TrayRun,
  type TrayState,
} from '../../src/main/trayModel';
import type { LastRun, Schedule } from '../../src/shared/types';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';
import { pausePatch } from '../../src/main/tray-app';

const NOW = Date.UTC(2024, 10, 29, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let seq = 0;
function schedule(patch: Partial<Schedule> & { name: string }): Schedule {
  seq += 1;
  return {
    id: `sch_${String(seq).padStart(3, '0')}`,
    description: '',
    machine_id: 'local',
    command: 'true',
    cron: '0 * * * *',
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: true },
    next_run: null,
    last_run: null,
    created_at: iso(NOW - DAY),
    updated_at: iso(NOW - DAY),
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    ...POLICY_DEFAULTS,
    ...patch,
  };
}

function state(patch: Partial<TrayState> = {}): TrayState {
  return {
    schedules: [],
    running: [],
    paused: false,
    muted: false,
    failedSinceSeen: false,
    ...patch,
  };
}

function run(name: string, startedAgoMs: number, commandId = `cmd_${name}`): TrayRun {
  return { commandId, scheduleId: `sch_${name}`, name, startedAt: iso(NOW - startedAgoMs) };
}

const labels = (items: TrayMenuItem[]) =>
  items.map((i) => (i.type === 'separator' ? '---' : i.label));
const find = (items: TrayMenuItem[], label: string): TrayMenuItem => {
  const item = items.find((i) => i.label === label);
  if (!item) throw new Error(`no item "${label}" in ${JSON.stringify(labels(items))}`);
  return item;
};

const TAIL = [
  '---',
  'Pause all schedules',
  'Mute notifications',
  '---',
  'New schedule…',
  'Open Cmdop Scheduler',
  'Settings…',
  '---',
  'Quit',
];

describe('formatRelative', () => {
  it.each([
    [0, 'now'],
    [59_999, 'now'],
    [-30_000, 'just now'],
    [MIN, 'in 1 min'],
    [5 * MIN + 40_000, 'in 5 min'],
    [59 * MIN, 'in 59 min'],
    [HOUR, 'in 1 h'],
    [2 * HOUR + 10 * MIN, 'in 2 h 10 min'],
    [23 * HOUR + 59 * MIN, 'in 23 h 59 min'],
    [DAY, 'in 1 day'],
    [DAY + 5 * HOUR + 30 * MIN, 'in 1 day 5 h'],
    [3 * DAY + 4 * HOUR, 'in 3 days'],
    [-2 * MIN - 40_000, '2 min ago'],
    [-3 * HOUR, '3 h ago'],
    [-10 * DAY, '10 days ago'],
  ])('%i ms from now reads "%s"', (offset, text) => {
    expect(formatRelative(NOW + offset, NOW)).toBe(text);
  });
});

describe('truncateLabel', () => {
  it('keeps names up to 40 characters and cuts longer ones with an ellipsis', () => {
    expect(truncateLabel('a'.repeat(40))).toBe('a'.repeat(40));
    const cut = truncateLabel('b'.repeat(41));
    expect(cut).toBe(`${'b'.repeat(39)}…`);
    expect(Array.from(cut)).toHaveLength(40);
  });

  it('never splits an emoji and folds newlines into one line', () => {
    const cut = truncateLabel(`${'x'.repeat(38)}😀😀😀`);
    expect(cut).toBe(`${'x'.repeat(38)}😀…`);
    expect(truncateLabel('  nightly\n  backup\t job ')).toBe('nightly backup job');
  });
});

describe('buildTrayModel: menu order and labels', () => {
  it('an empty app: nothing scheduled, no schedules yet, then the fixed tail', () => {
    const model = buildTrayModel(state(), NOW);
    expect(labels(model.menu)).toEqual([
      'Next runs',
      'Nothing scheduled',
      '---',
      'No schedules yet',
      ...TAIL,
    ]);
    expect(model.menu[0].enabled).toBe(false);
    expect(model.menu[1].enabled).toBe(false);
    expect(model.menu[3].enabled).toBe(false);
    expect(model.icon).toBe('idle');
  });

  it('the full order with runs and schedules', () => {
    const backup = schedule({ name: 'Daily Backup', next_run: iso(NOW + 5 * MIN) });
    const model = buildTrayModel(
      state({ schedules: [backup], running: [run('Sync', 2 * MIN)] }),
      NOW,
    );
    expect(labels(model.menu)).toEqual([
      'Next runs',
      'Daily Backup — in 5 min',
      '---',
      'Running',
      'Sync — started 2 min ago',
      '---',
      'Schedules',
      ...TAIL,
    ]);
    expect(model.menu[1].action).toEqual({ kind: 'history', scheduleId: backup.id });
    expect(model.menu[3].enabled).toBe(false);
  });

  it('Next runs: the 5 soonest enabled schedules, soonest first', () => {
    const offsets = [90, 5, 3 * 24 * 60, 30, 130, 1, 45];
    const schedules = offsets.map((m, i) =>
      schedule({ name: `S${i}`, next_run: iso(NOW + m * MIN) }),
    );
    schedules.push(schedule({ name: 'Off', enabled: false, next_run: iso(NOW) }));
    schedules.push(schedule({ name: 'Never', next_run: null }));
    const menu = buildTrayModel(state({ schedules }), NOW).menu;
    const sep = menu.findIndex((i) => i.type === 'separator');
    expect(labels(menu.slice(0, sep))).toEqual([
      'Next runs',
      'S5 — in 1 min',
      'S1 — in 5 min',
      'S3 — in 30 min',
      'S6 — in 45 min',
      'S0 — in 1 h 30 min',
    ]);
  });

  it('a disabled schedule is left out of Next runs but listed under Schedules with "Enable"', () => {
    const off = schedule({ name: 'Report', enabled: false, next_run: iso(NOW + 5 * MIN) });
    const menu = buildTrayModel(state({ schedules: [off] }), NOW).menu;
    expect(labels(menu.slice(0, 2))).toEqual(['Next runs', 'Nothing scheduled']);
    const sub = find(menu, 'Schedules').submenu ?? [];
    expect(labels(sub)).toEqual(['Report (disabled)']);
    const enable = find(sub[0].submenu ?? [], 'Enable');
    expect(enable.action).toEqual({ kind: 'setEnabled', scheduleId: off.id, enabled: true });
  });

  it('each schedule submenu: last run, Run now, Disable, History…', () => {
    const last: LastRun = {
      at: iso(NOW - 3 * HOUR),
      exit_code: 1,
      duration: 1200,
      status: 'failure',
    };
    const s = schedule({ name: 'Daily Backup', last_run: last, next_run: iso(NOW + HOUR) });
    const menu = buildTrayModel(state({ schedules: [s] }), NOW).menu;
    const schedules = find(menu, 'Schedules');
    expect(schedules.type).toBe('submenu');
    const item = find(schedules.submenu ?? [], 'Daily Backup');
    expect(item.type).toBe('submenu');
    const sub = item.submenu ?? [];
    expect(labels(sub)).toEqual([
      'Last run: failed, exit 1, 3 h ago',
      '---',
      'Run now',
      'Disable',
      'History…',
    ]);
    expect(sub[0].enabled).toBe(false);
    expect(sub[2].action).toEqual({ kind: 'runNow', scheduleId: s.id });
    expect(sub[3].action).toEqual({ kind: 'setEnabled', scheduleId: s.id, enabled: false });
    expect(sub[4].action).toEqual({ kind: 'history', scheduleId: s.id });
  });

  it('schedules are listed by name, case-insensitively', () => {
    const schedules = ['beta', 'Alpha', 'gamma'].map((name) => schedule({ name }));
    const sub = find(buildTrayModel(state({ schedules }), NOW).menu, 'Schedules').submenu ?? [];
    expect(labels(sub)).toEqual(['Alpha', 'beta', 'gamma']);
  });

  it('running runs: oldest first, each with "Cancel run"', () => {
    const runs = [run('Late', 30_000, 'cmd_b'), run('Early', 90 * MIN, 'cmd_a')];
    const menu = buildTrayModel(state({ running: runs }), NOW).menu;
    const start = menu.findIndex((i) => i.label === 'Running');
    expect(labels(menu.slice(start, start + 4))).toEqual([
      'Running',
      'Early — started 1 h 30 min ago',
      'Late — started just now',
      '---',
    ]);
    const early = menu[start + 1];
    expect(early.type).toBe('submenu');
    expect(early.submenu).toEqual([
      { label: 'Cancel run', action: { kind: 'cancel', commandId: 'cmd_a' } },
    ]);
  });

  it('long names are truncated in every place they appear', () => {
    const name = `Nightly database backup of the production cluster`;
    const s = schedule({ name, next_run: iso(NOW + 5 * MIN) });
    const model = buildTrayModel(state({ schedules: [s], running: [run(name, MIN)] }), NOW);
    const short = `${name.slice(0, 39)}…`;
    expect(model.menu[1].label).toBe(`${short} — in 5 min`);
    expect(model.menu.some((i) => i.label === `${short} — started 1 min ago`)).toBe(true);
    expect(find(model.menu, 'Schedules').submenu?.[0].label).toBe(short);
    expect(model.tooltip).toContain(`next: ${short} in 5 min`);
  });

  it('past 50 schedules the submenu ends with "More in the window…"', () => {
    const schedules = Array.from({ length: 60 }, (_, i) =>
      schedule({ name: `Job ${String(i).padStart(2, '0')}` }),
    );
    const sub = find(buildTrayModel(state({ schedules }), NOW).menu, 'Schedules').submenu ?? [];
    expect(sub).toHaveLength(51);
    expect(sub[49].label).toBe('Job 49');
    expect(sub[50]).toEqual({ label: 'More in the window…', action: { kind: 'open' } });
  });

  it('exactly 50 schedules need no "More" item', () => {
    const schedules = Array.from({ length: 50 }, (_, i) => schedule({ name: `Job ${i}` }));
    const sub = find(buildTrayModel(state({ schedules }), NOW).menu, 'Schedules').submenu ?? [];
    expect(sub).toHaveLength(50);
  });

  it('pause offers an hour, tomorrow morning or until resumed; paused, it offers resume', () => {
    const off = buildTrayModel(state(), NOW).menu;
    const pause = find(off, 'Pause all schedules');
    const tomorrow = new Date(NOW);
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(9, 0, 0, 0);
    expect(pause).toMatchObject({ type: 'submenu' });
    expect(pause.submenu).toEqual([
      { label: 'For 1 hour', action: { kind: 'pause', paused: true, forMs: 3_600_000 } },
      {
        label: 'Until tomorrow, 09:00',
        action: { kind: 'pause', paused: true, until: tomorrow.toISOString() },
      },
      { label: 'Until I resume', action: { kind: 'pause', paused: true } },
    ]);
    expect(find(off, 'Mute notifications')).toMatchObject({
      type: 'checkbox',
      checked: false,
      action: { kind: 'mute', muted: true },
    });
    const on = buildTrayModel(state({ paused: true, muted: true }), NOW).menu;
    expect(find(on, 'Resume schedules (paused until you resume)')).toMatchObject({
      action: { kind: 'pause', paused: false },
    });
    const until = new Date(NOW + 90 * MIN);
    const timed = buildTrayModel(state({ paused: true, pausedUntil: until.toISOString() }), NOW);
    const hhmm = `${String(until.getHours()).padStart(2, '0')}:${String(until.getMinutes()).padStart(2, '0')}`;
    expect(timed.menu.some((i) => i.label === `Resume schedules (paused until ${hhmm})`)).toBe(
      true,
    );
    expect(find(on, 'Mute notifications')).toMatchObject({
      checked: true,
      action: { kind: 'mute', muted: false },
    });
  });

  it('a pause item becomes the settings patch at the time of the click', () => {
    expect(pausePatch({ kind: 'pause', paused: true, forMs: HOUR }, NOW)).toEqual({
      paused_until: new Date(NOW + HOUR).toISOString(),
    });
    expect(
      pausePatch({ kind: 'pause', paused: true, until: '2024-11-30T09:00:00.000Z' }, NOW),
    ).toEqual({
      paused_until: '2024-11-30T09:00:00.000Z',
    });
    expect(pausePatch({ kind: 'pause', paused: true }, NOW)).toEqual({ paused: true });
    expect(pausePatch({ kind: 'pause', paused: false }, NOW)).toEqual({ paused: false });
  });

  it('the fixed items carry their actions', () => {
    const menu = buildTrayModel(state(), NOW).menu;
    expect(find(menu, 'New schedule…').action).toEqual({ kind: 'newSchedule' });
    expect(find(menu, 'Open Cmdop Scheduler').action).toEqual({ kind: 'open' });
    expect(find(menu, 'Settings…').action).toEqual({ kind: 'settings' });
    expect(find(menu, 'Quit').action).toEqual({ kind: 'quit' });
  });

  it('is deterministic: the same state and clock give equal models', () => {
    const schedules = [
      schedule({ name: 'A', next_run: iso(NOW + 5 * MIN + 30_000) }),
      schedule({ name: 'B' }),
    ];
    const st = state({ schedules, running: [run('A', MIN)] });
    expect(buildTrayModel(st, NOW)).toEqual(buildTrayModel(st, NOW));
    // Relative times move in whole minutes, so 20 s later nothing needs re-rendering...
    expect(sameData(buildTrayModel(st, NOW), buildTrayModel(st, NOW + 20_000))).toBe(true);
    // ...and a minute later it does.
    expect(sameData(buildTrayModel(st, NOW), buildTrayModel(st, NOW + MIN))).toBe(false);
  });
});

describe('icon state', () => {
  it('idle, running, failed; a failure outranks running', () => {
    expect(buildTrayModel(state(), NOW).icon).toBe('idle');
    expect(buildTrayModel(state({ running: [run('A', MIN)] }), NOW).icon).toBe('running');
    expect(buildTrayModel(state({ failedSinceSeen: true }), NOW).icon).toBe('failed');
    expect(
      buildTrayModel(state({ failedSinceSeen: true, running: [run('A', MIN)] }), NOW).icon,
    ).toBe('failed');
  });
});

describe('lastRunText', () => {
  const at = iso(NOW - 3 * HOUR);
  it.each<[LastRun | null, string]>([
    [null, 'Last run: never'],
    [{ at, exit_code: 1, duration: 5, status: 'failure' }, 'Last run: failed, exit 1, 3 h ago'],
    [{ at, exit_code: 0, duration: 5, status: 'success' }, 'Last run: succeeded, 3 h ago'],
    [{ at, exit_code: null, duration: 5, status: 'timeout' }, 'Last run: timed out, 3 h ago'],
    [
      { at, exit_code: null, duration: null, status: 'interrupted' },
      'Last run: interrupted, 3 h ago',
    ],
    [{ at: 'garbage', exit_code: 2, duration: 5, status: 'failure' }, 'Last run: failed, exit 2'],
  ])('%j → %s', (last, text) => {
    expect(lastRunText(schedule({ name: 'X', last_run: last }), NOW)).toBe(text);
  });
});

describe('trayTooltip', () => {
  const backup = schedule({ name: 'Daily Backup', next_run: iso(NOW + 5 * MIN) });

  it('says when there are no schedules', () => {
    expect(trayTooltip(state(), NOW)).toBe('Cmdop Scheduler — no schedules');
  });

  it('names the next run', () => {
    expect(trayTooltip(state({ schedules: [backup] }), NOW)).toBe(
      'Cmdop Scheduler — next: Daily Backup in 5 min',
    );
  });

  it('counts running runs before the next one', () => {
    const running = [run('A', MIN), run('B', MIN)];
    expect(trayTooltip(state({ schedules: [backup], running }), NOW)).toBe(
      'Cmdop Scheduler — 2 running · next: Daily Backup in 5 min',
    );
  });

  it('says paused instead of a next run that will not happen', () => {
    expect(trayTooltip(state({ schedules: [backup], paused: true }), NOW)).toBe(
      'Cmdop Scheduler — paused',
    );
  });

  it('puts an unseen failure first', () => {
    expect(trayTooltip(state({ schedules: [backup], failedSinceSeen: true }), NOW)).toBe(
      'Cmdop Scheduler — a run failed since you last looked · next: Daily Backup in 5 min',
    );
  });

  it('says nothing is scheduled when every schedule is disabled', () => {
    const off = schedule({ name: 'Off', enabled: false, next_run: iso(NOW + MIN) });
    expect(trayTooltip(state({ schedules: [off] }), NOW)).toBe(
      'Cmdop Scheduler — nothing scheduled',
    );
  });

  it('stays within the 127 characters Windows shows', () => {
    const running = Array.from({ length: 12345 }, (_, i) => run(`R${i}`, MIN, `c${i}`));
    const long = schedule({ name: 'n'.repeat(200), next_run: iso(NOW + 5 * MIN) });
    const text = trayTooltip(state({ schedules: [long], running, failedSinceSeen: true }), NOW);
    expect(Array.from(text).length).toBeLessThanOrEqual(127);
    expect(buildTrayModel(state({ schedules: [long] }), NOW).tooltip).toBe(
      trayTooltip(state({ schedules: [long] }), NOW),
    );
  });
});

describe('sameData', () => {
  it('compares by value, ignoring key order and explicit undefined', () => {
    expect(sameData({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameData({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameData({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameData([], {})).toBe(false);
    expect(sameData({ a: null }, { a: {} })).toBe(false);
  });
});
