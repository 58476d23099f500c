// The tray opens the window on a page: `#new`, `#settings`, `#history=<schedule id>`.
import type { AppStore } from './app';

export function applyRoute(store: AppStore, hash: string): void {
  const route = hash.replace(/^#/, '');
  const state = store.getState();
  if (route === 'new') state.openEditor({ mode: 'create' });
  else if (route === 'settings') state.navigate({ name: 'settings' });
  else if (route.startsWith('history=')) {
    state.navigate({ name: 'history', scheduleId: decodeURIComponent(route.slice(8)) });
  }
}
