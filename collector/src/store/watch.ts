/**
 * How a store tells the live view about writes made by other collector processes (several processes
 * on one database: SM_WORKERS, or collectors behind a load balancer). A process learns of its own
 * ingests directly (routes/collect.ts onChange); `Store.watch` is for everybody else's. PostgreSQL
 * pushes (LISTEN/NOTIFY, postgres.ts); SQLite and ClickHouse are polled for a cheap value that changes
 * with every commit (SQLite's data_version, the ClickHouse store's row count).
 */

/**
 * Calls `onChange` whenever `read` answers something other than it did the time before, reading every
 * `intervalMs` until the returned function is called. A failed read is skipped (the next one may
 * answer); the timer never keeps the process alive.
 */
export function pollForChange(read: () => unknown, intervalMs: number, onChange: () => void): () => void {
  let last: string | undefined;
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const value = JSON.stringify(await read());
      if (last !== undefined && value !== last && !stopped) onChange();
      last = value;
    } catch {
      // The store is unreachable for a moment: the live view's heartbeat still runs.
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref?.();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
