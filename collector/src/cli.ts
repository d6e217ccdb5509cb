/**
 * `session-metrics-collector`: the packaged collector's command. Without arguments it starts the
 * collector (server.ts) configured from the environment; `--help` lists every variable with its default;
 * `new-token` and `hash-token` make the hashed entries that SM_TOKENS holds.
 */
import { VARIABLES, variablesText } from './variables';
import { hashToken, newToken } from './access';

const HELP = `session-metrics-collector: receives session-metrics records, stores them (SQLite, or PostgreSQL with
DATABASE_URL) and answers reports, the live view and the dashboard.

Usage:
  session-metrics-collector                      start, configured by the variables below
  session-metrics-collector new-token NAME [SITE...]
                                                 a new random token and its SM_TOKENS entry: read access to the
                                                 SITEs, or admin without any
  session-metrics-collector hash-token TOKEN     the SHA-256 hex of TOKEN, as SM_TOKENS stores it
  session-metrics-collector --help               this text

Environment (${VARIABLES.length} variables):
${variablesText()}

Endpoints: POST /collect, /api/* (bearer token), GET /healthz, /readyz, /metrics, /docs (OpenAPI).
`;

const [command, ...rest] = process.argv.slice(2);

function fail(message: string): never {
  console.error(`session-metrics-collector: ${message}\n(--help lists the commands)`);
  process.exit(2);
}

if (command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(HELP);
} else if (command === 'hash-token') {
  if (rest.length !== 1 || rest[0]!.length < 16) fail('hash-token takes one token of 16 or more characters');
  console.log(hashToken(rest[0]!));
} else if (command === 'new-token') {
  const [name, ...sites] = rest;
  if (!name) fail('new-token takes a name, then the sites a read token may read (none: an admin token)');
  const token = newToken();
  const entry = sites.length ? { sha256: hashToken(token), scope: 'read', sites } : { sha256: hashToken(token), scope: 'admin' };
  console.log(`token (give it to its holder; it is not stored anywhere): ${token}`);
  console.log(`SM_TOKENS entry: ${JSON.stringify({ [name]: entry })}`);
} else if (command === undefined) {
  await import('./server');
} else {
  fail(`unknown command ${JSON.stringify(command)}`);
}
