// @ts-nocheck
// 
// What the UI talks to: the Schedules API, the settings, the fire preview and the live
// events, over HTTP
// (browser) or IPC (Electron). Views never know which.
import type { SchedulesApi } from '../../../shared/api';
import type { EventFeed } from '../../../shared/events';
import type { SettingsApi } from '../../../shared/settings';
import type { MoveApi } from '../../../shared/bridge';
import type { FiresApi } from '../../../shared/fires-api';
import type { AlertsApi } from '../../../shared/alerts-api';

export type AppApi = SchedulesApi &
  SettingsApi &
  MoveApi &
  AlertsApi &
  FiresApi &
  DecisionsApi &
  EventFeed;
import type { DecisionsApi } from '../../../shared/decisions';
