import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './App';
import { createAppStore } from './store/app';
import { AppProvider } from './store/context';
import { bindRouter, navigateTo } from './store/route';
import { TokenMissing } from './views/TokenMissing';
import './styles.css';

// Pasting the printed link into a tab that is already open changes only the fragment:
// start over so the new token is picked up.
window.addEventListener('hashchange', () => {
  if (/(^#|&)token=/.test(window.location.hash)) window.location.reload();
});

const root = createRoot(document.getElementById('root') as HTMLElement);
const connection = connect();

if (connection.kind === 'no-token') {
  root.render(<TokenMissing />);
} else {
  const store = createAppStore(connection.api);
  if (connection.kind === 'http') {
    // Events missed while the stream was down (server restart, sleep): reload once back.
    let dropped = false;
    connection.http.onConnectionChange((state) => {
      if (state === 'offline') dropped = true;
      if (state === 'online' && dropped) {
        dropped = false;
        void store.getState().load();
      }
    });
  }
  // One live feed for the whole UI; views that need more subscribe to the same API.
  connection.api.subscribe((event) => store.getState().applyEvent(event));
  // Views look their schedule up when they render, so the route can apply before the load.
  bindRouter(store, window);
  if (connection.kind === 'ipc') {
    // The tray and notification clicks: the window may have been open for hours.
    connection.navigate((hash) => navigateTo(store, window, hash));
  }
  void store.getState().load();
  root.render(
    <StrictMode>
      <AppProvider store={store} api={connection.api} transport={connection.kind}>
        <App />
      </AppProvider>
    </StrictMode>,
  );
}
