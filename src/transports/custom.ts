import type { WireRecord } from '../core/records';
import type { SendOptions, Transport } from './transport';

export type { SendOptions, Transport } from './transport';
export type { WireRecord } from '../core/records';
export { DeliveryError } from './transport';

/** The host's own sender: return nothing or true once delivered; return false, throw or reject to have it retried. */
export type SendFunction = (records: readonly WireRecord[], options: SendOptions) => void | boolean | Promise<void | boolean>;

/**
 * Adapts the host's own sender (an SDK it already has, a `postMessage` to a parent frame, a
 * WebSocket) into a transport. Sync or async, its failures are retried with backoff like any other
 * transport's, from its own queue position.
 */
export function customTransport(sender: SendFunction | { send: SendFunction; name?: string }, name?: string): Transport {
  const send = typeof sender === 'function' ? sender : sender?.send?.bind(sender);
  const label = name ?? (typeof sender === 'object' && typeof sender?.name === 'string' ? sender.name : 'custom');
  return {
    name: label,
    send(records, options) {
      // Bad input must not lose records: they stay queued, and the message names the problem.
      if (typeof send !== 'function') throw new TypeError(`customTransport: expected a function or an object with a send() method, got ${typeof sender}`);
      return send(records, options);
    },
  };
}
