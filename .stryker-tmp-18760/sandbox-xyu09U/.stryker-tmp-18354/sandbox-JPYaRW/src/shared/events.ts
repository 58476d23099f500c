// @ts-nocheck
// 
// Events the engine pushes to every surface: SSE (`GET /v1/events`), IPC, the tray.
import type { AppSettings } from './settings';
import type { StorageStatus } from './storage';
import type { Delivery, Run, Schedule } from './types';

export interface RunOutputEvent {
  type: 'run.output';
  command_id: string;
  run_id: string;
  schedule_id: string;
  stream: 'stdout' | 'stderr';
  /** Characters this stream printed before the chunk; a jump past the last chunk's end means
   * output was not sent live (too much at once): read the command again to fill it in. */
  offset: number;
  chunk: string;
}

export type ApiEvent =
  | { type: 'schedule.created'; schedule: Schedule }
  | { type: 'schedule.updated'; schedule: Schedule }
  | { type: 'schedule.deleted'; id: string }
  | { type: 'run.started'; run: Run }
  | RunOutputEvent
  | { type: 'run.finished'; run: Run }
  /**
   * ours: the run has gone on past twice its schedule's usual duration (the median of its
   * last 10 successful runs; at least 1 min): once per run. `running_for` and `usual` in ms.
   */
  | { type: 'run.stuck'; run: Run; running_for: number; usual: number }
  /** ours: a webhook or ping for a run was sent (or given up): the run's `deliveries` grew. */
  | { type: 'run.delivery'; command_id: string; schedule_id: string; delivery: Delivery }
  /** ours: settings changed (mute, pause, retention); the token is never in it. */
  | { type: 'settings.updated'; settings: AppSettings }
  /** ours: writing the data directory failed, or works again. */
  | { type: 'storage.changed'; storage: StorageStatus };

export interface EventFeed {
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
}
