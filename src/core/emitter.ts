/**
 * A tiny typed event emitter: `on` returns its own unsubscribe function (the nanoevents shape).
 * A listener that throws is reported and does not stop the others, nor the tracker.
 */
export interface Emitter<E> {
  on<K extends keyof E>(event: K, listener: (data: E[K]) => void): () => void;
  emit<K extends keyof E>(event: K, data: E[K]): void;
}

export function createEmitter<E>(report: (error: unknown) => void): Emitter<E> {
  const all: Record<keyof E, Set<(data: any) => void>> = {} as never;
  return {
    on: (event, listener) => {
      const set = (all[event] ??= new Set()).add(listener);
      return () => set.delete(listener);
    },
    emit: (event, data) =>
      all[event]?.forEach((listener) => {
        try {
          listener(data);
        } catch (error) {
          report(error);
        }
      }),
  };
}
