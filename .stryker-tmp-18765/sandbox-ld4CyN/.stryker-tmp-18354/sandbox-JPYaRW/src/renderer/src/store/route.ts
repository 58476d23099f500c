// @ts-nocheck
// 
// The address bar and the store say the same thing: every view and dialog has a `#/…`
// route (shared/routes.ts). A route that arrives — typed, Back/Forward, a link, or main's
// `navigate` event — is applied to the store; a change made in the UI pushes a history entry.
// Leaving an editor with typed work asks first, whichever way the leaving comes.
import { parseRoute, routeHash, type Route } from '../../../shared/routes';
import type { AppState, AppStore, Confirm } from './app';

/** The route the UI shows now: an open editor is its own page. */
export function routeOf(state: Pick<AppState, 'view' | 'editor' | 'filters'>): Route {
  const { editor, view } = state;
  if (editor?.mode === 'create') return { name: 'new' };
  if (editor?.mode === 'edit') return { name: 'edit', scheduleId: editor.id };
  switch (view.name) {
    case 'schedules':
      return state.filters.lastRun === 'failed'
        ? { name: 'schedules', filter: 'failed' }
        : { name: 'schedules' };
    case 'home':
    case 'settings':
      return { name: view.name };
    case 'history':
      return { name: 'history', scheduleId: view.scheduleId };
    case 'run':
      return { name: 'run', commandId: view.commandId };
  }
}

/** Puts the store where the route says. The editor opens over whatever page is showing. */
export function applyRoute(store: AppStore, route: Route): void {
  const state = store.getState();
  switch (route.name) {
    case 'new':
      state.openEditor({ mode: 'create' });
      return;
    case 'edit':
      state.openEditor({ mode: 'edit', id: route.scheduleId });
      return;
    case 'schedules':
      state.closeEditor();
      state.navigate({ name: 'schedules' });
      // The address says whether only failures show: `#/schedules` shows them all again.
      state.setFilters({ lastRun: route.filter ?? 'all' });
      return;
    case 'home':
    case 'settings':
      state.closeEditor();
      state.navigate({ name: route.name });
      return;
    case 'history':
      state.closeEditor();
      state.navigate({ name: 'history', scheduleId: route.scheduleId });
      return;
    case 'run':
      state.closeEditor();
      state.navigate({ name: 'run', commandId: route.commandId });
      return;
  }
}

/** Asks before a route would close an editor holding unsaved work; applies it otherwise. */
export function applyRouteSafely(store: AppStore, route: Route): void {
  const state = store.getState();
  const leaving = state.editor !== null && routeHash(route) !== routeHash(routeOf(state));
  if (!leaving || !state.editorDirty) {
    applyRoute(store, route);
    return;
  }
  state.ask(discardChanges(() => applyRoute(store, route)));
}

/** The question asked before typed work is thrown away. */
export function discardChanges(discard: () => void): Confirm {
  return {
    title: 'Discard your changes?',
    message: 'The schedule has changes that are not saved. Closing the editor loses them.',
    confirmLabel: 'Discard changes',
    cancelLabel: 'Keep editing',
    onConfirm: discard,
  };
}

export type RouterWindow = Pick<Window, 'addEventListener' | 'removeEventListener'> & {
  location: Pick<Location, 'hash'>;
  history: Pick<History, 'pushState' | 'replaceState'>;
};

/**
 * Keeps store and URL in step until the returned function is called. Routes that do not
 * parse (`#token=…`, which main.tsx handles, or an old link) are left alone.
 */
export function bindRouter(store: AppStore, win: RouterWindow): () => void {
  const fromUrl = () => {
    const route = parseRoute(win.location.hash);
    if (!route) return;
    applyRouteSafely(store, route);
    // Back (or a link) away from unsaved work asked instead of leaving: the address shows
    // the editor again until the user chooses; Discard then moves on to where they went.
    const shown = routeHash(routeOf(store.getState()));
    if (shown !== win.location.hash) win.history.pushState(null, '', shown);
  };
  const initial = parseRoute(win.location.hash);
  if (initial) applyRoute(store, initial);
  // No entry of its own for the page the app opened on: Back leaves the app as it came.
  else win.history.replaceState(null, '', routeHash(routeOf(store.getState())));

  const unsubscribe = store.subscribe((state, prev) => {
    const filterOnly =
      state.view === prev.view &&
      state.editor === prev.editor &&
      state.filters.lastRun !== prev.filters.lastRun;
    if (state.view === prev.view && state.editor === prev.editor && !filterOnly) return;
    const hash = routeHash(routeOf(state));
    // Equal when the change came from the URL itself (Back, a typed fragment, navigate).
    if (hash === win.location.hash) return;
    // A closed dialog replaces its own entry, so Back does not open it again; a filter
    // picked in the list keeps the address true without a Back step of its own.
    const dialogClosed = prev.editor !== null && state.editor === null && state.view === prev.view;
    if (dialogClosed || filterOnly) win.history.replaceState(null, '', hash);
    else win.history.pushState(null, '', hash);
  });
  // Back/Forward fire popstate; a fragment set by assignment or typing fires hashchange.
  win.addEventListener('popstate', fromUrl);
  win.addEventListener('hashchange', fromUrl);
  return () => {
    unsubscribe();
    win.removeEventListener('popstate', fromUrl);
    win.removeEventListener('hashchange', fromUrl);
  };
}

/** Main's `navigate` event: accepted only when it names a route, then applied like a link. */
export function navigateTo(store: AppStore, win: Pick<RouterWindow, 'location'>, hash: string) {
  const route = parseRoute(hash);
  if (!route) return false;
  // Assigning a new fragment fires hashchange, which applies it and leaves a history entry;
  // the same fragment fires nothing, yet the page may have moved on (a dialog closed by Esc).
  if (win.location.hash === hash) applyRouteSafely(store, route);
  else win.location.hash = hash;
  return true;
}
