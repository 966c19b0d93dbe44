/** Fan-out of service events to every connected transport (IPC windows, WebSocket clients). */
import type { Emit, EventName } from '../common/contract';

export type EventListener = (event: EventName, payload: unknown) => void;

export interface EventHub {
  emit: Emit;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const l of listeners) l(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
