/**
 * `useTracker(options)`: the tracker for a React single-page app. It is created once, in an effect
 * (so server rendering never touches `window`), and stopped when the component unmounts, which
 * removes every listener and timer it added. Route changes need nothing from the app: the tracker
 * follows `history.pushState`/`replaceState`, `popstate` and `hashchange` itself, which is how
 * React Router, TanStack Router and Next.js change routes. Map URLs to page names with the
 * `pageName` option (`/lesson/123 -> /lesson/:id`).
 */
import { useEffect, useRef, useState } from 'react';
import { createTracker, type Tracker, type TrackerDeps } from '../browser/tracker';
import type { TrackerOptions } from '../browser/tracker';

export interface UseTrackerSettings {
  /**
   * The signed-in user, passed to `tracker.identify()` whenever it changes (`null` after sign-out).
   * Leave it `undefined` to never call `identify`.
   */
  userId?: string | null;
  /** Passed to `createTracker`; tests swap the window, storage or delivery. */
  deps?: TrackerDeps;
  /** @defaultValue `createTracker` */
  create?: (options: TrackerOptions | undefined, deps: TrackerDeps | undefined) => Tracker;
}

/**
 * Starts the tracker on mount and stops it on unmount; returns it once started (`null` before,
 * e.g. during the first render and on the server). `options` are read when the tracker starts:
 * later changes do not restart it (give the component a new `key` to start over with new ones).
 */
export function useTracker(options?: TrackerOptions, { userId, deps, create = createTracker }: UseTrackerSettings = {}): Tracker | null {
  const [tracker, setTracker] = useState<Tracker | null>(null);
  // Read at start only: an inline options object is new on every render and must not restart it.
  const startWith = useRef({ options, deps, create });

  useEffect(() => {
    const { options: o, deps: d, create: make } = startWith.current;
    const started = make(o, d);
    setTracker(started);
    return () => {
      started.stop();
      setTracker(null);
    };
  }, []);

  useEffect(() => {
    if (tracker && userId !== undefined) tracker.identify(userId);
  }, [tracker, userId]);

  return tracker;
}
