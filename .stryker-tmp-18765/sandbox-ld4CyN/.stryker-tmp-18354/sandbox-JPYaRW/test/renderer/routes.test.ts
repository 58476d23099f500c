// @ts-nocheck
// 
// @vitest-environment happy-dom
// Routes: every view has a `#/…` URL both ways, and main's navigate event (the tray, a
// notification click) moves an already open page at any time.
import { afterEach, describe, expect, it } from 'vitest';
import type { AppApi } from '../../src/renderer/src/api/types';
import { createAppStore } from '../../src/renderer/src/store/app';
import { bindRouter, navigateTo } from '../../src/renderer/src/store/route';
import { parseRoute, routeHash, type Route } from '../../src/shared/routes';

describe('route names', () => {
  const routes: Route[] = [
    { name: 'home' },
    { name: 'schedules' },
    { name: 'schedules', filter: 'failed' },
    { name: 'new' },
    { name: 'edit', scheduleId: 'sched_1' },
    { name: 'history', scheduleId: 'sched_1' },
    { name: 'run', commandId: 'cmd_9' },
    { name: 'settings' },
  ];

  it('are the documented fragments and read back as the same route', () => {
    expect(routes.map(routeHash)).toEqual([
      '#/home',
      '#/schedules',
      '#/schedules/failed',
      '#/schedules/new',
      '#/schedules/sched_1/edit',
      '#/schedules/sched_1/history',
      '#/runs/cmd_9',
      '#/settings',
    ]);
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
    // The bare root is the home page too.
    expect(parseRoute('#/')).toEqual({ name: 'home' });
  });

  it('anything else is not a route (the token link, old links, junk)', () => {
    for (const hash of ['', '#token=abc', '#new', '#history=s1', '#/runs/', '#/x', '#/runs/%E0']) {
      expect(parseRoute(hash)).toBeNull();
    }
  });
});

describe('the router in the page', () => {
  let unbind: () => void = () => {};
  afterEach(() => {
    unbind();
    window.history.replaceState(null, '', '/');
  });

  function start(hash = '') {
    window.history.replaceState(null, '', `/${hash}`);
    const store = createAppStore({} as AppApi);
    unbind = bindRouter(store, window);
    return store;
  }

  it('#/schedules/failed shows only failures; the filter and the address stay in step', async () => {
    const store = start('#/schedules/failed');
    expect(store.getState().view).toEqual({ name: 'schedules' });
    expect(store.getState().filters.lastRun).toBe('failed');
    store.getState().setFilters({ lastRun: 'all' });
    expect(window.location.hash).toBe('#/schedules');
    // A failure summary clicked while the list is open.
    const changed = new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
    navigateTo(store, window, '#/schedules/failed');
    await changed;
    expect(store.getState().filters.lastRun).toBe('failed');
  });

  it('opens on the route in the URL, or puts the home page there', () => {
    expect(start('#/settings').getState().view).toEqual({ name: 'settings' });
    unbind();
    start();
    expect(window.location.hash).toBe('#/home');
  });

  it('Back away from an editor with typed work asks first; Discard goes on', async () => {
    const store = start('#/schedules');
    store.getState().openEditor({ mode: 'create' });
    expect(window.location.hash).toBe('#/schedules/new');
    store.getState().setEditorDirty(true);
    const popped = new Promise((r) => window.addEventListener('popstate', r, { once: true }));
    window.history.back();
    await popped;
    // Still editing, the address says so, and the question is asked.
    expect(store.getState().editor).toEqual({ mode: 'create' });
    expect(window.location.hash).toBe('#/schedules/new');
    const confirm = store.getState().confirm;
    expect(confirm?.title).toBe('Discard your changes?');
    await confirm?.onConfirm();
    expect(store.getState().editor).toBeNull();
    expect(store.getState().view).toEqual({ name: 'schedules' });
    expect(window.location.hash).toBe('#/schedules');
  });

  it('Back from an editor without typed work just closes it', async () => {
    const store = start('#/schedules');
    store.getState().openEditor({ mode: 'create' });
    const popped = new Promise((r) => window.addEventListener('popstate', r, { once: true }));
    window.history.back();
    await popped;
    expect(store.getState().editor).toBeNull();
    expect(store.getState().confirm).toBeNull();
  });

  it('a view opened in the UI gets its URL', () => {
    const store = start('#/schedules');
    store.getState().navigate({ name: 'history', scheduleId: 'sched_1' });
    expect(window.location.hash).toBe('#/schedules/sched_1/history');
    store.getState().openEditor({ mode: 'edit', id: 'sched_1' });
    expect(window.location.hash).toBe('#/schedules/sched_1/edit');
  });

  it("main's navigate event moves a page that has been open for a while", async () => {
    const store = start('#/schedules');
    store.getState().navigate({ name: 'settings' });
    const changed = new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
    expect(navigateTo(store, window, '#/runs/cmd_42')).toBe(true);
    await changed;
    expect(store.getState().view).toEqual({ name: 'run', commandId: 'cmd_42' });
    // The same route again after the user closed what it opened opens it again.
    const hashChange = () =>
      new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
    let next = hashChange();
    navigateTo(store, window, '#/schedules/new');
    await next;
    store.getState().closeEditor();
    expect(store.getState().editor).toBeNull();
    next = hashChange();
    navigateTo(store, window, '#/schedules/new');
    await next;
    expect(store.getState().editor).toEqual({ mode: 'create' });
    expect(navigateTo(store, window, 'javascript:alert(1)')).toBe(false);
  });
});
