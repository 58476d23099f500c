// @ts-nocheck
// 
// The verbs the window may call, from the local service, the settings, import and backups,
// and the fire preview, as one object.
import { SCHEDULES_API_METHODS, type SchedulesApi } from '../shared/api';
import {
  ALERTS_API_METHODS,
  FIRES_API_METHODS,
  MOVE_API_METHODS,
  SETTINGS_API_METHODS,
  type AppApiVerbs,
  type MoveApi,
} from '../shared/bridge';
import type { AlertsApi } from '../shared/alerts-api';
import { DECISIONS_API_METHODS, type DecisionsApi } from '../shared/decisions-api';
import type { SettingsApi } from '../shared/settings';
import type { FiresApi } from '../shared/fires-api';

export function composeApi(
  schedules: SchedulesApi,
  settings: SettingsApi,
  move: MoveApi,
  alerts: AlertsApi,
  fires: FiresApi,
  decisions: DecisionsApi,
): AppApiVerbs {
  const api: Record<string, unknown> = {};
  for (const m of SCHEDULES_API_METHODS) api[m] = schedules[m].bind(schedules);
  for (const m of SETTINGS_API_METHODS) api[m] = settings[m].bind(settings);
  for (const m of MOVE_API_METHODS) api[m] = move[m].bind(move);
  for (const m of ALERTS_API_METHODS) api[m] = alerts[m].bind(alerts);
  for (const m of FIRES_API_METHODS) api[m] = fires[m].bind(fires);
  for (const m of DECISIONS_API_METHODS) api[m] = decisions[m].bind(decisions);
  return api as unknown as AppApiVerbs;
}
