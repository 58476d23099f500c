// @ts-nocheck
// 
// Picks the transport: the preload bridge inside Electron, HTTP in a browser.
import type { CmdopBridge } from '../../../shared/bridge';
import { HttpApi } from './http';
import { ipcApi } from './ipc';
import { TOKEN_KEY, takeToken } from './token';
import type { AppApi } from './types';

declare global {
  interface Window {
    cmdop?: CmdopBridge;
  }
}

export type Connection =
  | { kind: 'ipc'; api: AppApi; navigate: CmdopBridge['onNavigate'] }
  | { kind: 'http'; api: AppApi; http: HttpApi }
  | { kind: 'no-token' };

export function connect(): Connection {
  const bridge = window.cmdop;
  if (bridge) {
    return { kind: 'ipc', api: ipcApi(bridge), navigate: (l) => bridge.onNavigate(l) };
  }
  if (!takeToken()) return { kind: 'no-token' };
  // Read on every call: rotating the token in Settings stores the new one.
  const http = new HttpApi(window.location.origin, () => sessionStorage.getItem(TOKEN_KEY) ?? '');
  return { kind: 'http', api: http, http };
}
