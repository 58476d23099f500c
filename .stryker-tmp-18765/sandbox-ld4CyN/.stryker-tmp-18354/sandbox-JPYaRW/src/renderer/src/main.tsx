// @ts-nocheck
// 
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './App';
import { createAppStore } from './store/app';
import { AppProvider } from './store/context';
import { bindRouter, navigateTo } from './store/route';
import { startSync } from './store/sync';
import { TokenPage } from './views/TokenPage';
import './styles.css';

// Pasting the printed link into a tab that is already open changes only the fragment:
// start over so the new token is picked up.
window.addEventListener('hashchange', () => {
  if (/(^#|&)token=/.test(window.location.hash)) window.location.reload();
});

const root = createRoot(document.getElementById('root') as HTMLElement);
const connection = connect();

if (connection.kind === 'no-token') {
  root.render(<TokenPage reason="missing" />);
} else {
  const store = createAppStore(connection.api);
  // Views look their schedule up when they render, so the route can apply before the load.
  bindRouter(store, window);
  if (connection.kind === 'ipc') {
    // The tray and notification clicks: the window may have been open for hours.
    connection.navigate((hash) => navigateTo(store, window, hash));
  }
  startSync(store, connection);
  root.render(
    <StrictMode>
      <AppProvider
        store={store}
        api={connection.api}
        transport={connection.kind}
        reconnect={connection.kind === 'http' ? () => connection.http.reconnectNow() : undefined}
      >
        <App />
      </AppProvider>
    </StrictMode>,
  );
}
