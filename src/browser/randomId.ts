/**
 * 128 random bits as 32 hex characters. `crypto.getRandomValues` works in insecure contexts too,
 * unlike `crypto.randomUUID`, which plain-http pages do not have.
 */
export const randomId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
