/**
 * A tiny typed event emitter: `on` returns its own unsubscribe function (the nanoevents shape).
 * A listener that throws is reported and does not stop the others, nor the tracker.
 */
export interface Emitter<E> {
  on<K extends keyof E>(event: K, listener: (data: E[K]) => void): () => void;
  emit<K extends keyof E>(event: K, data: E[K]): void;
}

export function createEmitter<E>(report: (error: unknown) => void): Emitter<E> {
  const all: { [K in keyof E]?: Set<(data: E[K]) => void> } = {};
  return {
    on(event, listener) {
      const set = (all[event] ??= new Set());
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit(event, data) {
      all[event]?.forEach((listener) => {
        try {
          listener(data);
        } catch (error) {
          report(error);
        }
      });
    },
  };
}
