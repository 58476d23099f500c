// The bridge object the preload exposes as `window.cmdop`: exactly the named verbs of the
// API plus onEvent, each a thin invoke. Nothing raw (no ipcRenderer) crosses.
import { BRIDGE_METHODS, type CmdopBridge } from '../shared/bridge';
import type { ApiEvent } from '../shared/events';

export function makeBridge(
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>,
  subscribe: (listener: (event: ApiEvent) => void) => () => void,
): CmdopBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of BRIDGE_METHODS) {
    bridge[method] = (...args: unknown[]) => invoke(`cmdop:${method}`, ...args);
  }
  bridge.onEvent = (listener: (event: ApiEvent) => void) => subscribe(listener);
  return Object.freeze(bridge) as unknown as CmdopBridge;
}
