import { describe, expect, it } from 'vitest';
import { compareRecords, entriesOf, mergeEntries, recordKey, settleEntries, type QueuedEntry } from '../../../src/delivery/queue';
import type { Queue } from '../../../src/delivery/store';
import type { SessionRecord } from '../../../src/core/records';
import { alert, session } from './records';

const entry = (r: QueuedEntry[1], lane = 'site\nt\n'): QueuedEntry => [lane + recordKey(r), r];
const seqs = (q: Queue) => [...q.values()].map((r) => (r as SessionRecord).seq);
const ids = (q: Queue) => [...q.values()].map((r) => (r as SessionRecord).id);

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

  // docs/semantics.md, "Which record of a session counts": the queue orders records as the receiver does.
  it('orders by seq as the receiver does, final or not: a higher seq takes a final one’s slot', () => {
    const q: Queue = new Map();
    mergeEntries(q, [entry(session({ seq: 7, final: true }))], 10);
    mergeEntries(q, [entry(session({ seq: 6 }))], 10);
    expect([...q.values()]).toEqual([session({ seq: 7, final: true })]);
    mergeEntries(q, [entry(session({ seq: 8 }))], 10);
    expect([...q.values()]).toEqual([session({ seq: 8 })]);
    expect(compareRecords(session({ seq: 1, final: true }), session({ seq: 99 }))).toBeLessThan(0);
    expect(compareRecords(session({ seq: 99 }), session({ seq: 1, final: true }))).toBeGreaterThan(0);
  });

  it('of two snapshots with the same seq, keeps the final one', () => {
    const q: Queue = new Map();
    mergeEntries(q, [entry(session({ seq: 4, engagedMs: 1 }))], 10);
    mergeEntries(q, [entry(session({ seq: 4, final: true }))], 10);
    mergeEntries(q, [entry(session({ seq: 4, engagedMs: 2 }))], 10);
    expect([...q.values()]).toEqual([session({ seq: 4, final: true })]);
    expect(compareRecords(session({ seq: 4, final: true }), session({ seq: 4 }))).toBeGreaterThan(0);
    expect(compareRecords(session({ seq: 4 }), session({ seq: 4, final: true }))).toBeLessThan(0);
    // Alerts have no seq: two of one key are equal, so the later one takes the slot.
    expect(compareRecords(alert(), alert({ at: '2026-01-01T00:06:00.000Z' }))).toBe(0);
  });

  it('a delivered final record settles its slot, but not a higher seq that arrived meanwhile', () => {
    const q: Queue = new Map();
    const sentFinal = entry(session({ seq: 3, final: true }));
    mergeEntries(q, [sentFinal, entry(session({ seq: 5 }))], 10);
    settleEntries(q, [sentFinal]);
    expect(seqs(q)).toEqual([5]);
  });

  it('evicts the oldest entries above the cap and returns them', () => {
    const q: Queue = new Map();
    for (let i = 0; i < 5; i++) mergeEntries(q, [entry(session({ id: `s${i}` }))], 3);
    expect(ids(q)).toEqual(['s2', 's3', 's4']);
    // A newer snapshot makes its entry young again; an older one, not taken, does not.
    mergeEntries(q, [entry(session({ id: 's2', seq: 2 })), entry(session({ id: 's3', seq: 0 }))], 3);
    expect(ids(q)).toEqual(['s3', 's4', 's2']);
    const evicted = mergeEntries(q, [entry(session({ id: 's5' })), entry(session({ id: 's6' }))], 3);
    // s3 and s4 were queued before the others, so they go first.
    expect(evicted).toEqual([entry(session({ id: 's3' }))[0], entry(session({ id: 's4' }))[0]]);
    expect(ids(q)).toEqual(['s2', 's5', 's6']);
  });

  it('refreshing a session keeps it from eviction: a long session never grows the queue', () => {
    const q: Queue = new Map();
    for (let seq = 1; seq <= 1000; seq++) mergeEntries(q, [entry(session({ seq }))], 3);
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
    mergeEntries(q, [entry(session({ id: 'a' }), 'site\na\n'), entry(session({ id: 'b' }), 'site\na\n'), entry(session({ id: 'c' }), 'site\nb\n')], 10);
    mergeEntries(q, [entry(session({ id: 'a', seq: 2 }), 'site\na\n')], 10);
    expect(entriesOf(q, 'site\na\n').map((e) => (e[1] as SessionRecord).id)).toEqual(['b', 'a']);
  });
});
