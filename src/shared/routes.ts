// Every view of the UI has a URL fragment, so the tray (through the `navigate` IPC event),
// a notification click, Back/Forward and a bookmark all land on the same page. Pure: used by
// main to build routes and by the renderer to read them.

export type Route =
  /** The overview: next runs, recent failures, reliability. `#/` means it too. */
  | { name: 'home' }
  /** `filter: 'failed'`: only schedules whose last run failed (a failure summary opens it). */
  | { name: 'schedules'; filter?: 'failed' }
  | { name: 'new' }
  | { name: 'edit'; scheduleId: string }
  | { name: 'history'; scheduleId: string }
  /** The run detail, keyed by the run's command id (what GET /v1/commands/:id takes). */
  | { name: 'run'; commandId: string }
  | { name: 'settings' };

export function routeHash(route: Route): string {
  const id = (value: string) => encodeURIComponent(value);
  switch (route.name) {
    case 'home':
      return '#/home';
    case 'schedules':
      return route.filter === 'failed' ? '#/schedules/failed' : '#/schedules';
    case 'new':
      return '#/schedules/new';
    case 'edit':
      return `#/schedules/${id(route.scheduleId)}/edit`;
    case 'history':
      return `#/schedules/${id(route.scheduleId)}/history`;
    case 'run':
      return `#/runs/${id(route.commandId)}`;
    case 'settings':
      return '#/settings';
  }
}

/** The route a fragment names, or null for anything else (`#token=…`, typos, old links). */
export function parseRoute(hash: string): Route | null {
  try {
    return routeOf(hash.replace(/^#/, '').split('/'));
  } catch {
    // A malformed %-escape in an id (`#/runs/%E0`) is no route either.
    return null;
  }
}

function routeOf(parts: string[]): Route | null {
  if (parts[0] !== '') return null;
  const [, first, second, third] = parts;
  if (parts.length === 2) {
    if (first === '' || first === 'home') return { name: 'home' };
    if (first === 'schedules') return { name: 'schedules' };
    if (first === 'settings') return { name: 'settings' };
    return null;
  }
  if (first === 'schedules' && parts.length === 3 && second === 'new') return { name: 'new' };
  if (first === 'schedules' && parts.length === 3 && second === 'failed') {
    return { name: 'schedules', filter: 'failed' };
  }
  // With three or four parts, `second` is there; an empty id is no route.
  if (first === 'runs' && parts.length === 3) {
    const commandId = decodeURIComponent(second as string);
    return commandId ? { name: 'run', commandId } : null;
  }
  if (first === 'schedules' && parts.length === 4) {
    const scheduleId = decodeURIComponent(second as string);
    if (!scheduleId) return null;
    if (third === 'edit') return { name: 'edit', scheduleId };
    if (third === 'history') return { name: 'history', scheduleId };
  }
  return null;
}
