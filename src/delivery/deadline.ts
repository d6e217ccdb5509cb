/**
 * `promise`, or a rejection with `no answer in <ms> ms` if it has not settled within `ms`: for the
 * browser APIs and transports that may never answer (IndexedDB blocked in some private modes, a
 * fetch the server never answers). The late outcome of `promise` is ignored; no timer outlives an answer.
 */
export const withDeadline = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise((ok, fail) => {
    const timer = setTimeout(fail, ms, 'no answer in ' + ms + ' ms');
    promise.then(ok, fail).finally(() => clearTimeout(timer));
  });
