// Starts a worker thread whose code is TypeScript: the collector runs under tsx (npm start, tests,
// benchmarks), but a worker thread does not inherit tsx's loader, so this plain module imports the
// worker's entry (workerData.entry, a file URL) through tsx's API.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
