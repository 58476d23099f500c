// @ts-nocheck
// 
// The preload bridge's contract (`window.cmdop`): the named verbs of SchedulesApi,
// SettingsApi, import and backups, and the fire preview, plus event subscription. Errors
// cannot cross IPC with their fields intact, so each verb resolves to a result that carries
// the API error body instead of throwing.
// SettingsApi, import and backups, and the decision log, plus event subscription. Errors cannot cross IPC with their fields intact,
// so each verb resolves to a result that carries the API error body instead of throwing.
import { SCHEDULES_API_METHODS, type SchedulesApi } from './api';
import type { ErrorBody } from './errors';
import type { ApiEvent } from './events';
import type { SettingsApi } from './settings';
import type { BatchApi } from './batch';
import type { BackupsApi } from './backups';
import type { FiresApi } from './fires-api';
import type { AlertsApi } from './alerts-api';

import { DECISIONS_API_METHODS, type DecisionsApi } from './decisions';

export type AppApiVerbs = SchedulesApi &
  SettingsApi &
  MoveApi &
  AlertsApi &
  FiresApi &
  DecisionsApi;

/** ours: import (batch create) and the store's backups. */
export type MoveApi = BatchApi & BackupsApi;

export const SETTINGS_API_METHODS = [
  'getSettings',
  'updateSettings',
  'rotateToken',
  'testRemote',
] as const satisfies readonly (keyof SettingsApi)[];

export const MOVE_API_METHODS = [
  'createBatch',
  'listBackups',
  'createBackup',
  'restoreBackup',
] as const satisfies readonly (keyof MoveApi)[];

/** ours: "Send test" of a schedule's webhook and ping. */
export const ALERTS_API_METHODS = ['testNotify'] as const satisfies readonly (keyof AlertsApi)[];
/** ours: the fire preview. Listed here, not in fires-api.ts: that module brings zod, and
 *  the sandboxed preload can require nothing but electron. */
export const FIRES_API_METHODS = [
  'scheduleFires',
  'cronFires',
] as const satisfies readonly (keyof FiresApi)[];

export const BRIDGE_METHODS = [
  ...SCHEDULES_API_METHODS,
  ...SETTINGS_API_METHODS,
  ...MOVE_API_METHODS,
  ...ALERTS_API_METHODS,
  ...FIRES_API_METHODS,
  ...DECISIONS_API_METHODS,
] as const;

export type BridgeMethod = (typeof BRIDGE_METHODS)[number];

/** Main → renderer: engine events, and routes the window should show (tray, notifications). */
export const EVENT_CHANNEL = 'cmdop:event';
export const NAVIGATE_CHANNEL = 'cmdop:navigate';

export type IpcResult<T> =
  { ok: true; value: T } | { ok: false; status: number; error: ErrorBody['error'] };

type Verb<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => Promise<IpcResult<R>>
  : never;

export type CmdopBridge = { [K in BridgeMethod]: Verb<AppApiVerbs[K]> } & {
  /** Returns the function that unsubscribes. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Main asks the window to show a route (a `#/…` fragment); returns the unsubscribe. */
  onNavigate(listener: (hash: string) => void): () => void;
};
