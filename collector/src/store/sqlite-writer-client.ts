/**
 * The event loop's side of the SQLite writer thread (store/sqlite-writer.ts): ingests go to the thread
 * as messages, and each promise settles when the thread reports the commit that holds it. Started on
 * the first ingest (after migrate() made the tables). If the thread dies, the ingests it held are
 * refused (nothing of theirs was acknowledged) and the next ingest starts a new one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Batch } from './sqlite-batch';
import type { IngestResult } from './types';
import type { Webhooks } from '../webhooks/config';
import type { Relays } from '../relays/config';
import type { WriterReply, WriterRequest } from './sqlite-writer';

interface Waiting {
  resolve: (r: IngestResult) => void;
  reject: (e: Error) => void;
}

export interface WriterClient {
  ingest(batch: Batch): Promise<IngestResult>;
  /** Waits for every ingest sent to be committed, then stops the thread. */
  close(): Promise<void>;
}

const boot = new URL('./worker-boot.mjs', import.meta.url);
const entry = new URL('./sqlite-writer.ts', import.meta.url).href;
// The compiled collector (collector/build.mjs) ships the writer as JavaScript beside dist/cli.js, which
// needs no tsx: started directly. From source (tsx), the boot module loads the TypeScript entry.
const compiled = new URL('./sqlite-writer.js', import.meta.url);
const spawnWriter = (file: string, webhooks: Webhooks, relays: Relays) =>
  existsSync(fileURLToPath(compiled)) ? new Worker(compiled, { workerData: { file, webhooks, relays } }) : new Worker(boot, { workerData: { entry, file, webhooks, relays } });

/** `webhooks` and `relays`: the endpoints whose events the writer puts in the outbox with the rows (sqlite-batch.ts). */
export function writerClient(file: string, webhooks: Webhooks = [], relays: Relays = []): WriterClient {
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  const waiting = new Map<number, Waiting>();
  let next = 0;

  function start(): Worker {
    const w = spawnWriter(file, webhooks, relays);
    let failure: Error | undefined;
    w.on('message', (m: WriterReply) => {
      if (m.type !== 'done') return;
      for (const [id, outcome] of m.outcomes) {
        const p = waiting.get(id);
        if (!p) continue;
        waiting.delete(id);
        if (outcome.ok) p.resolve(outcome.result);
        else p.reject(Object.assign(new Error(outcome.error.message), { code: outcome.error.code }));
      }
    });
    w.on('error', (e) => {
      failure = e;
    });
    exited = new Promise((resolve) => {
      w.once('exit', (code) => {
        if (worker === w) worker = undefined;
        const why = failure ?? new Error(`the SQLite writer thread exited (code ${code}) before committing`);
        for (const p of waiting.values()) p.reject(why);
        waiting.clear();
        resolve();
      });
    });
    return w;
  }

  return {
    ingest(batch) {
      return new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        (worker ??= start()).postMessage({ type: 'ingest', id, batch } satisfies WriterRequest);
      });
    },
    async close() {
      if (!worker) return exited;
      const w = worker;
      worker = undefined;
      w.postMessage({ type: 'close' } satisfies WriterRequest);
      await exited;
    },
  };
}
