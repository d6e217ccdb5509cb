/**
 * Reads a V8 .cpuprofile into the stages of an ingest request. Each sample goes to one stage: that of
 * the deepest frame on its stack that belongs to a stage (Fastify calls the route handler from inside
 * its body parser's callback, so the deepest frame, not the first, says what the time was spent on).
 * Native calls have no frame of their own: a better-sqlite3 `run()` is time in the JS frame that called it,
 * hence "statements" (frames of store/sqlite.ts) and "BEGIN/COMMIT" (better-sqlite3's transaction wrapper).
 */
export interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Stage of one frame, or undefined when the frame says nothing (its caller decides). First match wins. */
const FRAME_STAGES: Array<[string, (f: CallFrame) => boolean]> = [
  ['idle (event loop waiting)', (f) => f.functionName === '(idle)'],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
  ['SQLite BEGIN/COMMIT (the fsync)', (f) => f.url.endsWith('better-sqlite3/lib/methods/transaction.js')],
  ['SQLite rollups, once per commit (store/sqlite-rollups.ts)', (f) => f.url.endsWith('store/sqlite-rollups.ts') && f.functionName === 'apply'],
  ['SQLite page rows (store/sqlite-rollups.ts)', (f) => f.url.endsWith('store/sqlite-rollups.ts') && f.functionName === 'writePages'],
  ['SQLite statements (triggers included)', (f) => f.url.endsWith('store/sqlite.ts') || f.url.endsWith('store/sqlite-batch.ts') || f.url.endsWith('store/sqlite-rollups.ts')],
  ['writer thread messages (store/sqlite-writer*.ts)', (f) => /store\/sqlite-writer(-client)?\.ts$/.test(f.url)],
  ['PostgreSQL store (store/postgres.ts)', (f) => f.url.endsWith('store/postgres.ts')],
  ['pg client (protocol, parsing)', (f) => /\/node_modules\/pg(-[a-z]+)?\//.test(f.url)],
  ['row building (ingest/rows.ts)', (f) => f.url.endsWith('ingest/rows.ts')],
  ['record checks (ingest/validate.ts)', (f) => f.url.endsWith('ingest/validate.ts')],
  ['schema validation (Ajv)', (f) => f.url.endsWith('fastify/lib/validation.js') || (f.url === '' && /^validate\d+$/.test(f.functionName))],
  ['body JSON.parse', (f) => f.url.includes('/secure-json-parse/') || f.functionName === 'defaultJsonParser'],
  ['rate limit', (f) => f.url.includes('/@fastify/rate-limit/')],
  ['live view (live.ts)', (f) => f.url.endsWith('src/live.ts')],
  ['collect route (routes/collect.ts)', (f) => f.url.endsWith('routes/collect.ts')],
  ['Fastify (routing, hooks, reply, serializers)', (f) => /\/node_modules\/(fastify|fast-json-stringify|avvio|find-my-way|light-my-request|@fastify\/[a-z-]+)\//.test(f.url)],
  ['node (http, sockets, streams, timers)', (f) => f.url.startsWith('node:')],
  ['V8 (compiler, runtime)', (f) => f.functionName === '(program)'],
];

function stageOf(stack: CallFrame[]): string {
  for (let i = stack.length - 1; i >= 0; i--) {
    for (const [stage, test] of FRAME_STAGES) if (test(stack[i]!)) return stage;
  }
  return 'other';
}

/** The code whose first and last samples bound the window under load: the collect route (main thread) or the batch writer (writer thread). */
export const WINDOW = { main: 'routes/collect.ts', writer: 'store/sqlite-batch.ts' } as const;

/** Every sample's stack (root first) and duration in µs, from the first to the last sample that runs `marker`'s file. */
function samples(profile: CpuProfile, marker: string): Array<{ stack: CallFrame[]; us: number }> {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const stacks = new Map<number, CallFrame[]>();
  const stackOf = (id: number) => {
    let s = stacks.get(id);
    if (!s) {
      s = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const f = byId.get(at)!.callFrame;
        // tsImport (store/worker-boot.mjs) loads the writer thread's files as file:///...ts?tsx-namespace=...
        s.unshift({ functionName: f.functionName, url: f.url.split('?')[0]! });
      }
      stacks.set(id, s);
    }
    return s;
  };
  const out = profile.samples.map((id, i) => ({ stack: stackOf(id), us: profile.timeDeltas[i + 1] ?? 0 }));
  const handler = (s: CallFrame[]) => s.some((f) => f.url.endsWith(marker));
  const first = out.findIndex((x) => handler(x.stack));
  let last = out.length - 1;
  while (last > first && !handler(out[last]!.stack)) last--;
  return first < 0 ? [] : out.slice(first, last + 1);
}

/** One row per stage, largest first: its share of the wall time under load and µs per request (`requests` in that window). */
export function summarize(profile: CpuProfile, requests: number, marker: string = WINDOW.main) {
  const all = samples(profile, marker);
  const wall = all.reduce((a, x) => a + x.us, 0);
  if (wall === 0) return [];
  const byStage = new Map<string, number>();
  for (const x of all) {
    const stage = stageOf(x.stack);
    byStage.set(stage, (byStage.get(stage) ?? 0) + x.us);
  }
  return [...byStage]
    .sort((a, b) => b[1] - a[1])
    .map(([stage, us]) => ({ stage, 'share of wall %': Math.round((1000 * us) / wall) / 10, 'µs per request': Math.round(us / requests) }));
}
