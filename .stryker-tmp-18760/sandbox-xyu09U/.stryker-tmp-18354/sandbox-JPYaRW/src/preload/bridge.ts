// @ts-nocheck
// 
// The bridge object the preload exposes as `window.cmdop`: exactly the named verbs of the
// API plus onEvent and onNavigate, each a thin invoke or subscription. Nothing raw (no
// ipcRenderer) crosses.
import { BRIDGE_METHODS, type CmdopBridge } from '../shared/bridge';
import type { ApiEvent } from '../shared/events';

export interface BridgeSubscriptions {
  events(listener: (event: ApiEvent) => void): () => void;
  navigate(listener: (hash: string) => void): () => void;
}

export function makeBridge(
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>,
  subscribe: BridgeSubscriptions,
): CmdopBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of BRIDGE_METHODS) {
    bridge[method] = (...args: unknown[]) => invoke(`cmdop:${method}`, ...args);
  }
  bridge.onEvent = (listener: (event: ApiEvent) => void) => subscribe.events(listener);
  // Only strings cross: a route is data the renderer validates, never code or objects.
  bridge.onNavigate = (listener: (hash: string) => void) =>
    subscribe.navigate((hash) => {
      if (typeof hash === 'string') listener(hash);
    });
  return Object.freeze(bridge) as unknown as CmdopBridge;
}
