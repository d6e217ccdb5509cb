/**
 * Where the dashboard's API token lives. `npm start` prints `/dashboard#token=...`: the token rides
 * in the fragment because browsers never send the fragment to the server, so it stays out of access
 * logs and `Referer` headers (RFC 3986 §3.5, Fetch's "referrer" strips fragments). On load it moves
 * into `sessionStorage` (gone when the tab closes) and the fragment is cleared from the address bar,
 * so it is not shared by copying the URL or caught in a screenshot.
 */

export const TOKEN_KEY = 'session-metrics:dashboard-token';

/** The slice of `sessionStorage` used here; storage can be missing or throw (blocked, private mode). */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function safeSessionStorage(): TokenStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // Reading `sessionStorage` itself throws a SecurityError when storage is blocked.
    return undefined;
  }
}

/** A token from the fragment (`#token=...`) wins and is stored; else the stored one; else `null`. */
export function takeToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = globalThis.location,
  storage: TokenStorage | undefined = safeSessionStorage(),
  history: Pick<History, 'replaceState'> | undefined = globalThis.history,
): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromLink = fragment.get('token')?.trim();
  if (fromLink) {
    saveToken(fromLink, storage);
    fragment.delete('token');
    const rest = fragment.toString();
    history?.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    return fromLink;
  }
  try {
    return storage?.getItem(TOKEN_KEY) || null;
  } catch {
    return null;
  }
}

export function saveToken(token: string, storage: TokenStorage | undefined = safeSessionStorage()): void {
  try {
    storage?.setItem(TOKEN_KEY, token);
  } catch {
    // Full or blocked storage: the token still works for this page's lifetime (it is in React state).
  }
}

export function forgetToken(storage: TokenStorage | undefined = safeSessionStorage()): void {
  try {
    storage?.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}
