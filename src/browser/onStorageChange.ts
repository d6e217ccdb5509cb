/**
 * Another tab of the site wrote `key` (the `storage` event fires only in the other tabs,
 * https://html.spec.whatwg.org/multipage/webstorage.html#the-storage-event).
 */
export function onStorageChange(key: string, listener: () => void, win: Window = window): () => void {
  const handle = (e: StorageEvent) => e.key === key && listener();
  win.addEventListener('storage', handle);
  return () => win.removeEventListener('storage', handle);
}
