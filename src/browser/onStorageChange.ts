/**
 * Another tab of the site wrote `key` (the `storage` event fires only in the other tabs,
 * https://html.spec.whatwg.org/multipage/webstorage.html#the-storage-event).
 */
import { listen } from './listen';

export const onStorageChange = (key: string, listener: () => void, win: Window = window): (() => void) =>
  listen<StorageEvent>(win, 'storage', (e) => e.key === key && listener());
