/**
 * The API token: SM_API_TOKEN when set, else the one stored in the data directory, else a new random
 * one written there (mode 0600) so that it survives restarts and the dashboard link keeps working. The
 * server prints it only when it generates it (server.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadToken(dataDir: string, fromEnv: string | undefined): { token: string; source: 'env' | 'file' | 'generated'; file: string } {
  const file = join(dataDir, 'api-token');
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('SM_API_TOKEN must be at least 16 characters');
    return { token: fromEnv, source: 'env', file };
  }
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length < 16) throw new Error(`${file} holds a token shorter than 16 characters; delete it to generate a new one`);
    return { token, source: 'file', file };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, source: 'generated', file };
}
