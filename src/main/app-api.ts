// The verbs the window may call, from the local service and the settings, as one object.
import { SCHEDULES_API_METHODS, type SchedulesApi } from '../shared/api';
import {
  MOVE_API_METHODS,
  SETTINGS_API_METHODS,
  type AppApiVerbs,
  type MoveApi,
} from '../shared/bridge';
import { DECISIONS_API_METHODS, type DecisionsApi } from '../shared/decisions-api';
import type { SettingsApi } from '../shared/settings';

export function composeApi(
  schedules: SchedulesApi,
  settings: SettingsApi,
  move: MoveApi,
  decisions: DecisionsApi,
): AppApiVerbs {
  const api: Record<string, unknown> = {};
  for (const m of SCHEDULES_API_METHODS) api[m] = schedules[m].bind(schedules);
  for (const m of SETTINGS_API_METHODS) api[m] = settings[m].bind(settings);
  for (const m of MOVE_API_METHODS) api[m] = move[m].bind(move);
  for (const m of DECISIONS_API_METHODS) api[m] = decisions[m].bind(decisions);
  return api as unknown as AppApiVerbs;
}
