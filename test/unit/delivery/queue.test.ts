import { describe, expect, it } from 'vitest';
import { compareRecords, entriesOf, mergeEntries, recordKey, settleEntries, type QueuedEntry } from '../../../src/delivery/queue';
import type { Queue } from '../../../src/delivery/store';
import type { SessionRecord } from '../../../src/core/records';
import { alert, session } from './records';

const entry = (r: QueuedEntry['r'], t = 0, lane = 'site\nt\n'): QueuedEntry => ({ k: lane + recordKey(r), r, t });
const seqs = (q: Queue) => [...q.values()].map((e) => (e.r as SessionRecord).seq);

describe('queue rules', () => {
  it('keeps one slot per session and per alert key', () => {
    expect(recordKey(session({ id: 'a' }))).not.toBe(recordKey(session({ id: 'b' })));
    expect(recordKey(alert({ direction: 'above' }))).not.toBe(recordKey(alert({ direction: 'below' })));
    expect(recordKey(alert({ threshold: 'casual' }))).not.toBe(recordKey(alert({ threshold: 'engaged' })));
  });

  it('replaces a snapshot with a higher seq and keeps it against a lower one', () => {
    const q: Queue = new Map();
    mergeEntries(q, [entry(session({ seq: 2 }))], 10);
    mergeEntries(q, [entry(session({ seq: 5 }))], 10);
    mergeEntries(q, [entry(session({ seq: 4 }))], 10);
    expect(seqs(q)).toEqual([5]);
  });

  it('never lets a non-final snapshot overwrite a final one, whatever its seq', () => {
    const q: Queue = new Map();
    mergeEntries(q, [entry(session({ seq: 7, final: true }))], 10);
    mergeEntries(q, [entry(session({ seq: 6 })), entry(session({ seq: 8 }))], 10);
    expect([...q.values()].map((e) => e.r)).toEqual([session({ seq: 7, final: true })]);
    expect(compareRecords(session({ seq: 1, final: true }), session({ seq: 99 }))).toBeGreaterThan(0);
  });

  it('evicts the oldest entries above the cap and returns them', () => {
    const q: Queue = new Map();
    for (let i = 0; i < 5; i++) mergeEntries(q, [entry(session({ id: `s${i}` }), 100 + i)], 3);
    expect([...q.values()].map((e) => (e.r as SessionRecord).id).sort()).toEqual(['s2', 's3', 's4']);
    const evicted = mergeEntries(q, [entry(session({ id: 's5' }), 50), entry(session({ id: 's6' }), 200)], 3);
    // s5 was queued at t=50, the oldest of all, so it goes first.
    expect(evicted.map((e) => (e.r as SessionRecord).id)).toEqual(['s5', 's2']);
  });

  it('refreshing a session keeps it from eviction: a long session never grows the queue', () => {
    const q: Queue = new Map();
    for (let seq = 1; seq <= 1000; seq++) mergeEntries(q, [entry(session({ seq }), seq)], 3);
    expect(q.size).toBe(1);
    expect(seqs(q)).toEqual([1000]);
  });

  it('settles a delivered entry, but not a later word that arrived meanwhile', () => {
    const q: Queue = new Map();
    const sent = entry(session({ seq: 3 }));
    mergeEntries(q, [sent, entry(alert())], 10);
    mergeEntries(q, [entry(session({ seq: 4 }))], 10);
    settleEntries(q, [sent]);
    expect(seqs(q)).toContain(4);
    settleEntries(q, [entry(session({ seq: 4 })), entry(alert())]);
    expect(q.size).toBe(0);
  });

  it('lists one transport’s entries, oldest first', () => {
    const q: Queue = new Map();
    mergeEntries(q, [entry(session({ id: 'b' }), 2, 'site\na\n'), entry(session({ id: 'a' }), 1, 'site\na\n'), entry(session({ id: 'c' }), 0, 'site\nb\n')], 10);
    expect(entriesOf(q, 'site\na\n').map((e) => (e.r as SessionRecord).id)).toEqual(['a', 'b']);
  });
});
