// The preload exposes exactly the verbs of the API (plus onEvent), each a plain invoke.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FirePreview } from '../../src/core/fire-preview';
import { LocalService } from '../../src/core/service';
import { SettingsService } from '../../src/core/settings-service';
import { makeBridge } from '../../src/preload/bridge';
import { SCHEDULES_API_METHODS } from '../../src/shared/api';
import { BRIDGE_METHODS, FIRES_API_METHODS, SETTINGS_API_METHODS } from '../../src/shared/bridge';

function methodsOf(cls: { prototype: object }): string[] {
  // Descriptors, not property reads: getters on the prototype would throw.
  return Object.entries(Object.getOwnPropertyDescriptors(cls.prototype))
    .filter(([name, d]) => name !== 'constructor' && typeof d.value === 'function')
    .map(([name]) => name)
    .sort();
}

const none = { events: () => () => {}, navigate: () => () => {} };

describe('preload bridge', () => {
  it('exposes the SchedulesApi and SettingsApi verbs and onEvent, nothing else', () => {
    const bridge = makeBridge(async () => null, none);
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_METHODS, 'onEvent', 'onNavigate'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('has the verbs the implementations have', () => {
    // LocalService's extra methods serve the router (ownership, whole lists) and backups
    // (restore), not the API; its batch create is a verb of its own (MOVE_API_METHODS).
    const service = methodsOf(LocalService).filter(
      (m) => !['isLocalMachine', 'owns', 'listAll', 'restore', 'createBatch'].includes(m),
    );
    expect([...SCHEDULES_API_METHODS].sort()).toEqual(service);
    expect([...SETTINGS_API_METHODS].sort()).toEqual(methodsOf(SettingsService));
    expect([...FIRES_API_METHODS].sort()).toEqual(methodsOf(FirePreview));
  });

  it('the built preload requires nothing but electron (a sandboxed preload can require no more)', () => {
    // The global setup builds it from the current sources. A verb list kept beside a zod
    // schema once pulled zod (and cron-parser) in, and window.cmdop came up empty.
    const bundle = readFileSync(new URL('../../out/preload/index.cjs', import.meta.url), 'utf8');
    const required = [...bundle.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
  });

  it('invokes one channel per verb with the arguments as given', async () => {
    const calls: unknown[][] = [];
    const bridge = makeBridge(async (...args) => {
      calls.push(args);
      return { ok: true, value: 1 };
    }, none);
    await bridge.update('sched_1', { enabled: false });
    await bridge.list();
    expect(calls).toEqual([['cmdop:update', 'sched_1', { enabled: false }], ['cmdop:list']]);
  });

  it('passes event listeners to the subscription and returns its unsubscribe', () => {
    let unsubscribed = false;
    const listeners: unknown[] = [];
    const bridge = makeBridge(async () => null, {
      ...none,
      events: (l) => {
        listeners.push(l);
        return () => (unsubscribed = true);
      },
    });
    const off = bridge.onEvent(() => {});
    expect(listeners).toHaveLength(1);
    off();
    expect(unsubscribed).toBe(true);
  });

  it('hands routes to the renderer as strings only', () => {
    let send: (value: unknown) => void = () => {};
    const bridge = makeBridge(async () => null, {
      ...none,
      navigate: (l) => {
        send = l as (value: unknown) => void;
        return () => {};
      },
    });
    const seen: string[] = [];
    bridge.onNavigate((hash) => seen.push(hash));
    send('#/settings');
    send({ toString: () => '#/settings' });
    expect(seen).toEqual(['#/settings']);
  });
});
