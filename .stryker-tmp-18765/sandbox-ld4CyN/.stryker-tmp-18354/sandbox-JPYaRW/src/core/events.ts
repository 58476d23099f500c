// @ts-nocheck
// 
// The engine's event bus: one emitter, many subscribers (SSE streams, IPC, tray, notifier).
import type { ApiEvent, EventFeed } from '../shared/events';

export type EngineEvent = ApiEvent;

type Listener = (event: ApiEvent) => void;

export class EventBus implements EventFeed {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (say, a closed SSE stream) must not stop the engine.
      }
    }
  }
}
