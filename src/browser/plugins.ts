/**
 * The plugin seam: what a plugin sees (`PluginContext`) and what the tracker lends the plugin host
 * (`PluginPort`).
 *
 * The default bundle carries only the port (src/browser/tracker.ts): a plugin is hosted by `definePlugin`
 * (src/plugin/host.ts, the `session-metrics/plugin` entry), which builds the context on the port, checks
 * what a plugin writes and keeps its exceptions from the page. So a page pays for plugins only when it
 * uses one.
 *
 * A plugin's fields live in the shared session state (`e` on the session and on each page), so a record built by another tab or after a reload carries them: the receiver keeps the
 * record with the highest seq, whichever tab built it.
 */
import type { SessionState } from '../core/session';
import type { Tracker } from './api';

export interface TrackerPlugin {
  /** `[a-z][a-z0-9-]{0,31}`, unique per tracker; names the plugin in warnings. */
  readonly name: string;
  /** Called once when the tracker starts (or at `use`); returns its remover, called by `tracker.stop()`. */
  setup(context: PluginContext): (() => void) | void;
}

export interface PluginPage {
  /** The page name after the `pageName` mapping: the `path` of the page record. */
  readonly name: string;
  /** `location.href` when the page began. */
  readonly url: string;
  /** Epoch ms (the tracker's clock). */
  readonly startedAt: number;
}

export interface PluginSession {
  id: string;
  /** Epoch ms: the session's first engaged instant. */
  startedAt: number;
}

export interface PluginContext {
  /** The tracker's clock (epoch ms); tests inject it. */
  now(): number;
  /** The page's window (the tracker's injected one). */
  readonly window: Window;
  /**
   * Lifecycle; each returns its remover. `beforerecord` runs right before any record is built (snapshot,
   * flush, hide, session end): the last chance to write fields. A plugin set up after the tracker started
   * hears `pagestart` for the current page right after its `setup`.
   */
  on(event: 'pagestart' | 'pageend', listener: (page: PluginPage) => void): () => void;
  on(event: 'sessionstart' | 'sessionend', listener: (session: PluginSession) => void): () => void;
  on(event: 'beforerecord', listener: () => void): () => void;
  /** This tab's current page, or null before the first. */
  page(): PluginPage | null;
  /**
   * Engaged ms of this tab on its current page view so far, by the tracker's own rules (visible and active
   * within the buffer, or media playing). Monotonic within one page view; 0 at pagestart.
   */
  engagedMs(): number;
  /** True while this tab is engaged right now. */
  engaged(): boolean;
  /**
   * Sets `field` on the page record of `pageName` (default: the current page) in every record built from
   * now on, in every tab of the session. A core field or one another plugin set is refused with a debug
   * warning; values are JSON (strings, finite numbers, booleans, null, arrays, plain objects), at most
   * 4 KiB serialized per plugin per page. Never throws.
   */
  setPageField(field: string, value: unknown, pageName?: string): void;
  /** The same on the session record. */
  setSessionField(field: string, value: unknown): void;
  /** A debug-gated console warning, prefixed with the plugin's name. */
  warn(message: string): void;
}

/** What the tracker lends the plugin host (one per tracker, shared by its plugins). */
export interface PluginPort {
  now(): number;
  readonly window: Window;
  /** Its events, and `beforerecord` (not part of `TrackerEvents`): a record is about to be built. */
  readonly tracker: Tracker;
  /** This tab's current page, or null before the first. */
  page(): PluginPage | null;
  /** This tab's engaged ms on its current page view (`PluginContext.engagedMs`), and whether it is engaged now. */
  engagement(): [engagedMs: number, engaged: boolean];
  /**
   * Runs `edit` on the live session state: the one a record is being built from (during `beforerecord`),
   * else the stored one, which is then stored again. Nothing without a live session.
   */
  edit(edit: (s: SessionState) => void): void;
  /** `debugMode`: plugins warn only then. */
  readonly debug: boolean;
  /**
   * Anything else is shared by the hosts of this tracker's plugins (each plugin file may bring its own copy
   * of the host): plugin names and field owners, under keys with a space.
   */
  [shared: `${string} ${string}`]: string;
}

/** What `tracker.use` and the `plugins` option take: a plugin as `definePlugin` hosts it. */
export interface HostedPlugin {
  readonly name: string;
  /** Returns the remover that `tracker.stop()` calls. */
  attach(port: PluginPort): (() => void) | void;
}
