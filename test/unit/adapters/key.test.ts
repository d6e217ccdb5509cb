import { describe, expect, it } from 'vitest';
import { keySource, uuidFrom } from '../../../src/adapters/key';

describe('idempotency keys', () => {
  it('are UUIDs (version 8, RFC variant), equal for equal text and different otherwise', () => {
    const a = uuidFrom(keySource('site', 's1', 'session'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFrom(keySource('site', 's1', 'session'))).toBe(a);
    const others = ['s2', 's1 ', 'S1'].map((id) => uuidFrom(keySource('site', id, 'session')));
    others.push(uuidFrom(keySource('site2', 's1', 'session')), uuidFrom(keySource('site', 's1', 'page:/a')));
    expect(new Set([a, ...others]).size).toBe(6);
  });

  it('do not collide over many sessions', () => {
    const keys = new Set(Array.from({ length: 20_000 }, (_, i) => uuidFrom(keySource('site', 'session-' + i, 'session'))));
    expect(keys.size).toBe(20_000);
  });
});
