import { describe, expect, it } from 'vitest';
import { forgetToken, saveToken, takeToken, TOKEN_KEY, type TokenStorage } from '../../../collector/dashboard/src/token';

function memoryStorage(): TokenStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const blocked: TokenStorage = {
  getItem: () => {
    throw new DOMException('blocked', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new DOMException('blocked', 'SecurityError');
  },
};

describe('dashboard token', () => {
  it('takes the token from the fragment, stores it and clears it from the address bar', () => {
    const storage = memoryStorage();
    const urls: string[] = [];
    const token = takeToken({ hash: '#token=abc123def456ghi789', pathname: '/dashboard/', search: '?start=2026-03-01&end=2026-03-31' }, storage, {
      replaceState: (_s, _t, url) => void urls.push(String(url)),
    });
    expect(token).toBe('abc123def456ghi789');
    expect(storage.map.get(TOKEN_KEY)).toBe('abc123def456ghi789');
    expect(urls).toEqual(['/dashboard/?start=2026-03-01&end=2026-03-31']);
  });

  it('keeps other fragment parameters', () => {
    const urls: string[] = [];
    takeToken({ hash: '#token=t0k&view=live', pathname: '/dashboard/', search: '' }, memoryStorage(), {
      replaceState: (_s, _t, url) => void urls.push(String(url)),
    });
    expect(urls).toEqual(['/dashboard/#view=live']);
  });

  it('falls back to the stored token, and to null when there is none', () => {
    const storage = memoryStorage();
    const at = { hash: '', pathname: '/dashboard/', search: '' };
    expect(takeToken(at, storage, undefined)).toBeNull();
    saveToken('stored-token', storage);
    expect(takeToken(at, storage, undefined)).toBe('stored-token');
    forgetToken(storage);
    expect(takeToken(at, storage, undefined)).toBeNull();
  });

  it('works when storage throws: the link still gives the token, nothing throws', () => {
    const at = { hash: '#token=from-link', pathname: '/dashboard/', search: '' };
    expect(takeToken(at, blocked, undefined)).toBe('from-link');
    expect(takeToken({ ...at, hash: '' }, blocked, undefined)).toBeNull();
    expect(() => forgetToken(blocked)).not.toThrow();
  });
});
