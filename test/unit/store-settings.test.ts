// The settings service straight against a real store in a temp dir: what GET/PATCH
// /v1/settings return and keep, the rules a patch is checked against (each error names the
// field), the pause rules, token rotation, and the event every listener gets (without the token).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events';
import type { RemoteControl } from '../../src/core/host';
import { ScheduleRepository } from '../../src/core/schedules';
import { SettingsService, type PauseControl } from '../../src/core/settings-service';
import { confStoreFactory } from '../../src/headless/conf-store';
import { apiRejection } from '../helpers/api-error';
import type { ApiEvent } from '../../src/shared/events';
import type { ApiServerInfo, RemoteStatus } from '../../src/shared/settings';

let dir: string;
let repo: ScheduleRepository;
let token: string;
let events: ApiEvent[];
let bus: EventBus;
let remote: RemoteStatus;
let configured: unknown[];
let tested: unknown[];

const silent = { info() {}, warn() {}, error() {} };
const server = (): ApiServerInfo => ({
  mode: 'headless',
  url: 'http://127.0.0.1:7878',
  token,
  token_source: 'file',
});
const remoteControl: RemoteControl = {
  status: () => remote,
  configure: (patch) => void configured.push(patch),
  test: async (input) => {
    tested.push(input);
    return { ok: true } as never;
  },
};
const storage = () => ({ ok: true, problem: null });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cmdop-settings-'));
  repo = ScheduleRepository.open(confStoreFactory, dir, { now: () => 0 }, silent);
  token = 'a'.repeat(43);
  events = [];
  bus = new EventBus();
  bus.subscribe((e) => void events.push(e));
  remote = {
    url: null,
    token_set: false,
    source: 'settings',
    connected: false,
    token_encrypted: false,
    token_unreadable: null,
  };
  configured = [];
  tested = [];
});

afterEach(() => {
  repo.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(extra: Partial<ConstructorParameters<typeof SettingsService>[0]> = {}) {
  return new SettingsService({
    repo,
    server,
    rotate: () => {
      token = 'b'.repeat(43);
    },
    events: bus,
    remote: remoteControl,
    storage,
    ...extra,
  });
}

/** A pause control like the engine's: its view, and whom it told. */
function pauseControl(view = { paused: false, paused_until: null as string | null }) {
  const listeners: (() => void)[] = [];
  let changed = 0;
  const control: PauseControl = {
    globalPause: () => view,
    settingsChanged: () => void changed++,
    onSettingsChanged: (l) => {
      listeners.push(l);
      return () => {};
    },
  };
  return { control, listeners, changed: () => changed };
}

describe('reading', () => {
  it('gives the stored settings with the remote, server and storage status, not the stored remote', async () => {
    const s = await service().getSettings();
    expect(s).toEqual({
      notifications: { muted: false },
      history: { max_runs: 1000, max_age_days: 90 },
      paused: false,
      paused_until: null,
      local_api: { enabled: false, port: 7878 },
      remote,
      server: server(),
      start_at_login: null,
      storage: { ok: true, problem: null },
    });
  });

  it('gives the login item where there is one, and the engine view of the pause', async () => {
    repo.updateSettings({ ...repo.settings(), paused: true, paused_until: '2026-01-01T00:00:00Z' });
    const pause = pauseControl({ paused: false, paused_until: null });
    const s = await service({
      loginItem: { get: () => true, set() {} },
      pause: pause.control,
    }).getSettings();
    expect(s.start_at_login).toBe(true);
    // A timed pause that has ended reads as not paused, whatever the file still says.
    expect(s.paused).toBe(false);
    expect(s.paused_until).toBeNull();
  });

  it('hands out a copy: changing it does not change the store', async () => {
    const s = await service().getSettings();
    s.history.max_runs = 5;
    expect(repo.settings().history.max_runs).toBe(1000);
  });
});

describe('updating', () => {
  it('merges a patch into what is stored, keeps it, and tells listeners without the token', async () => {
    const svc = service();
    const s = await svc.updateSettings({
      history: { max_runs: 10 },
      notifications: { muted: true },
    });
    expect(s.history).toEqual({ max_runs: 10, max_age_days: 90 });
    expect(s.notifications).toEqual({ muted: true });
    expect(s.server.token).toBe(token);
    expect(repo.settings().history).toEqual({ max_runs: 10, max_age_days: 90 });
    expect(events).toHaveLength(1);
    const event = events[0] as Extract<ApiEvent, { type: 'settings.updated' }>;
    expect(event.type).toBe('settings.updated');
    expect(event.settings.server).toEqual({ ...server(), token: null });
    expect(event.settings.history.max_runs).toBe(10);

    const again = await svc.updateSettings({ local_api: { enabled: true, port: 8080 } });
    expect(again.history).toEqual({ max_runs: 10, max_age_days: 90 });
    expect(again.notifications).toEqual({ muted: true });
    expect(again.local_api).toEqual({ enabled: true, port: 8080 });
  });

  it('works without anyone listening', async () => {
    const s = await service({ events: undefined }).updateSettings({ paused: true });
    expect(s.paused).toBe(true);
    expect(events).toEqual([]);
  });

  it('an empty patch changes nothing', async () => {
    repo.updateSettings({ ...repo.settings(), paused: true, paused_until: '2030-01-01T00:00:00Z' });
    const s = await service().updateSettings({});
    expect(s.paused).toBe(true);
    expect(s.paused_until).toBe('2030-01-01T00:00:00Z');
  });

  it('names the field and its rule when a patch is wrong, and keeps nothing of it', async () => {
    const e = await apiRejection(service().updateSettings({ history: { max_runs: 0 } }));
    expect(e.code).toBe('validation_error');
    expect(e.message).toContain('Invalid settings');
    expect(e.message).toContain('max_runs');
    expect(repo.settings().history.max_runs).toBe(1000);
    expect(events).toEqual([]);
  });

  it('sets the login item on the desktop app, and refuses it on the headless server', async () => {
    const set: boolean[] = [];
    await service({ loginItem: { get: () => false, set: (v) => void set.push(v) } }).updateSettings(
      { start_at_login: true },
    );
    expect(set).toEqual([true]);

    const e = await apiRejection(service().updateSettings({ start_at_login: true }));
    expect(e.code).toBe('validation_error');
    expect(e.details).toEqual({
      fields: { start_at_login: 'applies to the desktop app only, not the headless server' },
    });
    expect(e.message).toContain('Invalid settings: start_at_login');
  });

  it('passes a remote change on, unless the command line decides the remote', async () => {
    await service().updateSettings({ remote: { url: 'https://cmdop.example' } });
    expect(configured).toEqual([{ url: 'https://cmdop.example' }]);

    remote = { ...remote, source: 'cli' };
    const e = await apiRejection(service().updateSettings({ remote: { url: null } }));
    expect(e.details).toEqual({
      fields: { remote: 'is set by --remote-url / CMDOP_API_TOKEN; change it there and restart' },
    });
    expect(e.message).toContain('Invalid settings: remote');
    expect(configured).toHaveLength(1);
    // Other fields can still be changed then.
    const s = await service().updateSettings({ notifications: { muted: true } });
    expect(s.notifications.muted).toBe(true);
  });

  it('tells the pause control after a change, and announces a change it reports', async () => {
    const pause = pauseControl();
    const svc = service({ pause: pause.control });
    await svc.updateSettings({ paused: true });
    expect(pause.changed()).toBe(1);
    expect(events).toHaveLength(1);
    // A timed pause ending by itself: listeners hear of it too.
    for (const l of pause.listeners) l();
    await new Promise((r) => setImmediate(r));
    expect(events).toHaveLength(2);
    expect(events[1]!.type).toBe('settings.updated');
  });
});

describe('the pause rules', () => {
  const cases: [string, object, object, object][] = [
    [
      'paused: true pauses until resumed',
      { paused: false, paused_until: null },
      { paused: true },
      { paused: true, paused_until: null },
    ],
    [
      'paused: true ends a timed pause’s end time',
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
      { paused: true },
      { paused: true, paused_until: null },
    ],
    [
      'paused_until pauses until then',
      { paused: false, paused_until: null },
      { paused_until: '2030-01-01T00:00:00Z' },
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
    ],
    [
      'paused_until null keeps a pause, until resumed',
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
      { paused_until: null },
      { paused: true, paused_until: null },
    ],
    [
      'paused_until null does not pause',
      { paused: false, paused_until: null },
      { paused_until: null },
      { paused: false, paused_until: null },
    ],
    [
      'paused: true with an instant pauses until then',
      { paused: false, paused_until: null },
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
    ],
    [
      'paused: false resumes and forgets the instant',
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
      { paused: false },
      { paused: false, paused_until: null },
    ],
    [
      'paused: false with a null instant resumes',
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
      { paused: false, paused_until: null },
      { paused: false, paused_until: null },
    ],
    [
      'no pause field keeps the pause as it is',
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
      { notifications: { muted: true } },
      { paused: true, paused_until: '2030-01-01T00:00:00Z' },
    ],
  ];
  it.each(cases)('%s', async (_, before, patch, after) => {
    repo.updateSettings({ ...repo.settings(), ...before });
    const s = await service().updateSettings(patch);
    expect({ paused: s.paused, paused_until: s.paused_until }).toEqual(after);
    expect({ paused: repo.settings().paused, paused_until: repo.settings().paused_until }).toEqual(
      after,
    );
  });

  it('refuses resuming with an end time, naming paused_until', async () => {
    const e = await apiRejection(
      service().updateSettings({ paused: false, paused_until: '2030-01-01T00:00:00Z' }),
    );
    expect(e.details).toEqual({
      fields: {
        paused_until: 'must be null or absent when paused is false (resuming ends the pause)',
      },
    });
    expect(e.message).toContain('Invalid settings: paused_until');
    expect(repo.settings().paused).toBe(false);
  });
});

describe('the token and the remote test', () => {
  it('rotates the token and returns the settings with the new one', async () => {
    const s = await service().rotateToken();
    expect(s.server.token).toBe('b'.repeat(43));
  });

  it('cannot rotate a token that comes from the environment', async () => {
    const e = await apiRejection(service({ rotate: null }).rotateToken());
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(
      'The API token comes from CMDOP_SCHEDULER_TOKEN; change it there and restart',
    );
    expect(token).toBe('a'.repeat(43));
  });

  it('tests the remote with what it is given, checked first', async () => {
    const svc = service();
    expect(await svc.testRemote()).toEqual({ ok: true });
    await svc.testRemote({ url: 'https://other.example' });
    expect(tested).toEqual([{}, { url: 'https://other.example' }]);
    const e = await apiRejection(svc.testRemote({ port: 1 } as never));
    expect(e.code).toBe('validation_error');
    expect(e.message).toContain('connection test');
  });
});
