/**
 * The data directory before anything opens it (issue 10, point 7): created private (0700), writable by
 * this process, and the SQLite file and its WAL and shared-memory files private (0600) and writable. A
 * problem is one line naming the path and what is wrong, so the start fails there instead of later: a
 * read-only file once started healthy and then answered 500 to every ingest.
 *
 * SQLite gives the -wal and -shm files the mode of the database file, so a database file created here
 * with 0600 keeps all three private.
 */
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DATABASE_FILE = 'session-metrics.db';

const reason = (e: unknown) => {
  const code = (e as { code?: string }).code;
  const known: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOTDIR: 'a part of the path is not a directory', ENOSPC: 'no space left on the device' };
  return code && known[code] ? `${known[code]} (${code})` : (e as Error).message;
};

/** Tightens `file` to 0600 when group or others may read it; returns whether it did. */
function makePrivate(file: string): boolean {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return false;
  try {
    chmodSync(file, 0o600);
  } catch (e) {
    throw new Error(`${file} is readable by other users (mode ${mode.toString(8)}) and cannot be made private: ${reason(e)}`);
  }
  return true;
}

/**
 * Makes `dir` ready for the collector; with `sqlite`, also its database files. Returns the files whose
 * mode it tightened to 0600 (for one line each in the start-up log). Throws one-line errors.
 */
export function prepareDataDir(dir: string, { sqlite }: { sqlite: boolean }): { tightened: string[] } {
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new Error(`cannot create the data directory ${dir}: ${reason(e)}`);
    }
  }
  if (!statSync(dir).isDirectory()) throw new Error(`the data directory ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new Error(`the data directory ${dir} is not writable by this user: ${reason(e)}`);
  }
  const tightened: string[] = [];
  const token = join(dir, 'api-token');
  if (existsSync(token) && makePrivate(token)) tightened.push(token);
  if (!sqlite) return { tightened };

  const file = join(dir, DATABASE_FILE);
  if (!existsSync(file)) {
    try {
      closeSync(openSync(file, 'a', 0o600));
    } catch (e) {
      throw new Error(`cannot create the database file ${file}: ${reason(e)}`);
    }
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(f)) continue;
    if (!statSync(f).isFile()) throw new Error(`${f} is not a file`);
    try {
      accessSync(f, constants.R_OK | constants.W_OK);
    } catch (e) {
      throw new Error(`${f} cannot be read and written by this user: ${reason(e)}; the collector writes every record there`);
    }
    if (makePrivate(f)) tightened.push(f);
  }
  return { tightened };
}
