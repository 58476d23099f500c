// @ts-nocheck
// 
// Wires the store to the world: API events into its per-frame queue, a fresh load on every
// (re)connection of the event stream (what happened while it was down is in the answer),
// the connection state for the banner, and the clock that moves next runs on.
import type { Connection as Transport } from '../api';
import type { AppStore } from './app';
import { clock, runClock } from './clock';

export function startSync(
  store: AppStore,
  transport: Exclude<Transport, { kind: 'no-token' }>,
  win: Pick<Window, 'addEventListener' | 'removeEventListener'> = window,
): () => void {
  const cleanups: (() => void)[] = [];
  if (transport.kind === 'http') {
    const { http } = transport;
    http.onConnectionChange((state) => {
      store.getState().setConnection(state);
      // The stream is up before the list is asked for, so no event falls between the two.
      if (state === 'online') void store.getState().load();
    });
    // Back from sleep or a network change, or the window looked at again: try at once.
    const wake = () => http.reconnectNow();
    win.addEventListener('online', wake);
    win.addEventListener('focus', wake);
    cleanups.push(() => {
      win.removeEventListener('online', wake);
      win.removeEventListener('focus', wake);
    });
  }
  cleanups.push(transport.api.subscribe((event) => store.getState().receive(event)));
  if (transport.kind === 'ipc') {
    // IPC events cannot drop; the subscription is live before this load starts.
    store.getState().setConnection('online');
    void store.getState().load();
  }
  cleanups.push(runClock());
  cleanups.push(clock.subscribe(({ now }) => store.getState().tick(now)));
  return () => cleanups.forEach((c) => c());
}
