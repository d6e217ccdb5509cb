/** The transport contract (src/core/transport.ts) and the error a transport throws to say more. */
export type { SendOptions, Transport } from '../core/transport';

/** A failed send, with what the delivery layer should do about it. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** `false` drops the records (a 4xx the receiver will never accept); default `true`. */
    readonly retryable = true,
    /** Earliest retry, in ms from now (from `Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
