/**
 * SM_WORKERS=N: N collector processes on one port, through Node's cluster module (the primary accepts
 * connections and hands them to the workers in turn). The primary runs no server: it starts the
 * workers, starts a worker again when one dies, and on SIGTERM or SIGINT passes the signal on and
 * exits once every worker has drained and exited, or after a bound.
 *
 * Every worker opens its own store connection; all rules about what is stored hold across processes
 * (docs/clickhouse.md, "Several collectors"), and each worker's live view hears the others' ingests
 * through Store.watch. Rate limits are counted per worker (docs/operations.md).
 */
import cluster, { type Worker } from 'node:cluster';

/** SM_WORKERS: a whole number of processes, 1 (no cluster) by default. */
export function workerCount(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`SM_WORKERS must be a whole number of processes from 1 to 64, got ${JSON.stringify(value)}`);
  return n;
}

export interface SupervisorOptions {
  /** How long the workers have to drain after a signal before they are killed. @defaultValue 10 s */
  shutdownMs?: number;
  log?: (message: string) => void;
}

/**
 * In the primary: starts `n` workers and supervises them until a signal ends them all; the returned
 * promise never settles (the process exits from here).
 */
export function superviseWorkers(n: number, { shutdownMs = 10_000, log = (m) => console.log(`session-metrics collector: ${m}`) }: SupervisorOptions = {}): Promise<never> {
  let stopping = false;
  const restarts: number[] = [];
  const fork = () => cluster.fork();
  for (let i = 0; i < n; i++) fork();
  log(`started ${n} worker processes`);

  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that died (a crash, the OOM killer) is replaced, but not in a loop: more than n
    // restarts within a minute means something is wrong with every worker, not with one.
    const now = Date.now();
    restarts.push(now);
    while (restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > n * 5) {
      log(`workers keep exiting (${restarts.length} in a minute, last with ${signal ?? `code ${code}`}); stopping`);
      process.exit(1);
    }
    log(`worker ${worker.process.pid} exited with ${signal ?? `code ${code}`}; starting another`);
    fork();
  });

  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      log(`${sig}: draining ${Object.keys(cluster.workers ?? {}).length} workers`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
      setTimeout(() => {
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
        process.exit(1);
      }, shutdownMs).unref();
    });
  }
  return new Promise<never>(() => {});
}

export const isWorkerPrimary = () => cluster.isPrimary;
