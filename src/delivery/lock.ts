/**
 * Runs `task` while holding the Web Lock `name`, so that the tabs of one site never send the same
 * queued records at the same moment: a flush reads the shared IndexedDB queue, sends it and removes
 * what was delivered before it releases the lock, and the next tab then finds only what is left.
 * The Web Locks API (W3C; Chrome 69, Firefox 96, Safari 15.4). Where Web Locks are missing,
 * tabs may send one record twice; the receiver keeps the highest seq, so that is harmless.
 */
export const withLock = <T>(name: string, task: () => Promise<T>, locks: LockManager | null | undefined): Promise<T> =>
  locks ? (locks.request(name, task) as Promise<T>) : task();
