/**
 * GET /metrics under SM_WORKERS=N. A scrape reaches whichever worker the primary hands the connection
 * to, so a worker's own counters would make every scrape a different process's numbers. Instead the
 * worker asks the primary, the primary gathers every worker's registry through prom-client's
 * AggregatorRegistry (counters, histograms and gauges summed across the workers; per-process figures
 * such as the start time as prom-client aggregates them), and the worker answers with that.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const ASK = 'session-metrics:cluster-metrics?';
const ANSWER = 'session-metrics:cluster-metrics';

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

const isMessage = <T extends { type: string }>(m: unknown, type: string): m is T => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;

/** In the primary: answers each worker's request with the metrics of every worker. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<{ type: string; id: number }>(message, ASK)) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text } satisfies Answer),
      (e: Error) => worker.send({ type: ANSWER, id: message.id, error: e.message } satisfies Answer),
    );
  });
}

/**
 * In a worker: `registry` becomes what this worker contributes, and the function returned reads the
 * whole cluster's metrics from the primary (rejecting after `timeoutMs` when the primary does not answer).
 */
export function clusterMetricsReader(registry: Registry, timeoutMs = 8_000): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one in a worker installs prom-client's answer to the primary's gathering.
  new AggregatorRegistry();
  const waiting = new Map<number, { resolve(text: string): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage<Answer>(message, ANSWER)) return;
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    clearTimeout(w.timer);
    if (message.error !== undefined) w.reject(new Error(`the primary could not gather the workers' metrics: ${message.error}`));
    else w.resolve(message.text ?? '');
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the primary did not answer with the workers' metrics within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, { resolve, reject, timer });
      process.send!({ type: ASK, id });
    });
}
