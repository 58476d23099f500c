// Every view's `#/…` address, both ways: what routeHash writes, parseRoute reads back, and
// every other fragment (the token link, typos, old or half-typed links) is no route at all.
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from '../../src/shared/routes';

const ROUTES: [Route, string][] = [
  [{ name: 'home' }, '#/home'],
  [{ name: 'schedules' }, '#/schedules'],
  [{ name: 'schedules', filter: 'failed' }, '#/schedules/failed'],
  [{ name: 'new' }, '#/schedules/new'],
  [{ name: 'edit', scheduleId: 'sched_1' }, '#/schedules/sched_1/edit'],
  [{ name: 'history', scheduleId: 'sched_1' }, '#/schedules/sched_1/history'],
  [{ name: 'run', commandId: 'cmd_9' }, '#/runs/cmd_9'],
  [{ name: 'settings' }, '#/settings'],
];

describe('routeHash and parseRoute', () => {
  it.each(ROUTES)('%j is %s and reads back', (route, hash) => {
    expect(routeHash(route)).toBe(hash);
    expect(parseRoute(hash)).toEqual(route);
    // The leading # is optional when reading (location.hash vs a bare fragment).
    expect(parseRoute(hash.slice(1))).toEqual(route);
  });

  it('the bare root is home', () => {
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('/')).toEqual({ name: 'home' });
  });

  it('encodes ids so any id survives the round trip', () => {
    const id = 'a/b c#?%';
    expect(routeHash({ name: 'edit', scheduleId: id })).toBe('#/schedules/a%2Fb%20c%23%3F%25/edit');
    expect(routeHash({ name: 'history', scheduleId: id })).toBe(
      '#/schedules/a%2Fb%20c%23%3F%25/history',
    );
    expect(routeHash({ name: 'run', commandId: id })).toBe('#/runs/a%2Fb%20c%23%3F%25');
    for (const route of [
      { name: 'edit', scheduleId: id },
      { name: 'history', scheduleId: id },
      { name: 'run', commandId: id },
    ] as Route[]) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });

  it('anything else is not a route', () => {
    for (const hash of [
      '',
      '#',
      '#token=abc',
      '#new',
      'home',
      '#home/x',
      '#/x',
      '#/new',
      '#/failed',
      '#/home/x',
      '#/settings/x',
      '#/schedules/x',
      '#/schedules/new/x',
      '#/schedules/failed/x',
      '#/schedules/sched_1',
      '#/schedules/sched_1/x',
      '#/schedules//edit',
      '#/schedules/%E0/edit',
      '#/schedules/sched_1/edit/x',
      '#/settings/new',
      '#/home/failed',
      '#/runs',
      '#/runs/',
      '#/runs/%E0',
      '#/runs/cmd_1/x',
      '#/new/sched_1/edit',
      '#/runs/sched_1/edit',
      '##/home',
    ]) {
      expect(parseRoute(hash), hash).toBeNull();
    }
  });

  it('only a leading # is the fragment mark; one inside an id is part of it', () => {
    expect(parseRoute('/runs/a#b')).toEqual({ name: 'run', commandId: 'a#b' });
    expect(parseRoute('#/runs/a#b')).toEqual({ name: 'run', commandId: 'a#b' });
  });

  it('decodes ids when reading', () => {
    expect(parseRoute('#/runs/cmd%201')).toEqual({ name: 'run', commandId: 'cmd 1' });
    expect(parseRoute('#/schedules/s%2F1/history')).toEqual({
      name: 'history',
      scheduleId: 's/1',
    });
  });
});
