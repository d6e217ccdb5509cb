/**
 * The SQLite writer thread: the one connection that writes, off the event loop that parses HTTP. A
 * better-sqlite3 commit is synchronous and waits for its fsync (`synchronous = FULL`); here it blocks
 * only this thread. Group commit: ingests that arrive while a transaction commits are written together
 * in the next one, and each is answered only after the commit that holds it.
 *
 * Messages in: { type: 'ingest', id, batch } and { type: 'close' }. Out: { type: 'done', outcomes: [id,
 * Outcome][] } after each commit, { type: 'closed' } once the last commit is done and the file closed.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { batchWriter, refusal, type Batch, type Outcome } from './sqlite-batch';
import { configure } from './sqlite-pragmas';
import type { Webhooks } from '../webhooks/config';
import type { Relays } from '../relays/config';

export type WriterRequest = { type: 'ingest'; id: number; batch: Batch } | { type: 'close' };
export type WriterReply = { type: 'done'; outcomes: Array<[number, Outcome]> } | { type: 'closed' };

const port = parentPort!;
const { file, webhooks, relays } = workerData as { file: string; webhooks: Webhooks; relays: Relays };
const db = configure(new Database(file));
let write: ReturnType<typeof batchWriter> | undefined;
let pending: Array<{ id: number; batch: Batch }> = [];
let scheduled = false;

const reply = (m: WriterReply) => port.postMessage(m);

function flush() {
  scheduled = false;
  const group = pending;
  pending = [];
  if (group.length === 0) return;
  let outcomes: Outcome[];
  try {
    // Prepared on the first write, after the store's migrate() has created the tables.
    outcomes = (write ??= batchWriter(db, webhooks, relays))(group.map((p) => p.batch));
  } catch (e) {
    outcomes = group.map(() => refusal(e));
  }
  reply({ type: 'done', outcomes: group.map((p, i) => [p.id, outcomes[i]!]) });
}

port.on('message', (m: WriterRequest) => {
  if (m.type === 'ingest') {
    pending.push({ id: m.id, batch: m.batch });
    if (!scheduled) {
      scheduled = true;
      // Messages that arrived during the last commit are all delivered before this runs: one group.
      setImmediate(flush);
    }
    return;
  }
  flush();
  db.close();
  reply({ type: 'closed' });
  port.close();
});
