import type { WireRecord } from '../core/records';
import type { Transport } from './transport';

export type { SendOptions, Transport } from './transport';
export type { WireRecord } from '../core/records';


/** A transport that keeps what it is sent, for tests and for hosts that read records in-page. */
export interface MemoryTransport extends Transport {
  /** Every body sent, in order. */
  readonly bodies: WireRecord[][];
  /** Every record sent, in order (duplicates included: delivery is at-least-once). */
  readonly records: WireRecord[];
  /** Forgets what was sent. */
  clear(): void;
}

/** Delivers every body at once, into memory. */
export function memoryTransport(name = 'memory'): MemoryTransport {
  const bodies: WireRecord[][] = [];
  const records: WireRecord[] = [];
  return {
    name,
    bodies,
    records,
    send(sent) {
      bodies.push([...sent]);
      records.push(...sent);
      return true;
    },
    clear() {
      bodies.length = 0;
      records.length = 0;
    },
  };
}
