// Engine events, pushed out to SSE, IPC, the tray and notifications.
import type { Schedule } from '../shared/types';

export type EngineEvent =
  | { type: 'schedule.created'; schedule: Schedule }
  | { type: 'schedule.updated'; schedule: Schedule }
  | { type: 'schedule.deleted'; id: string };

type Listener = (event: EngineEvent) => void;

export class EventBus {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (say, a closed SSE stream) must not stop the engine.
      }
    }
  }
}
