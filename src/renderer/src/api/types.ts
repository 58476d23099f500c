// What the UI talks to: the Schedules API, the settings, and the live events, over HTTP
// (browser) or IPC (Electron). Views never know which.
import type { SchedulesApi } from '../../../shared/api';
import type { EventFeed } from '../../../shared/events';
import type { SettingsApi } from '../../../shared/settings';
import type { MoveApi } from '../../../shared/bridge';
import type { DecisionsApi } from '../../../shared/decisions';

export type AppApi = SchedulesApi & SettingsApi & MoveApi & DecisionsApi & EventFeed;
