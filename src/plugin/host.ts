/**
 * `definePlugin`: hosts a plugin on the tracker's port (src/browser/plugins.ts). It builds the plugin's
 * context, checks every field the plugin writes (JSON only, not a core field nor another plugin's, at most
 * 4 KiB per plugin per page), keeps the fields in the shared session state and puts back what another
 * tab's write dropped, and catches everything the plugin throws: the host page never sees it.
 *
 * It ships in the `session-metrics/plugin` entry, never in the default bundle: each plugin's file brings
 * it, so a page without plugins pays nothing for them.
 */
import type { PageState, SessionState } from '../core/session';
import type { HostedPlugin, PluginContext, PluginPage, PluginSession, TrackerPlugin } from '../browser/plugins';

/** Most bytes of one plugin's fields on one page (or on the session), serialized as UTF-8. */
export const MAX_PLUGIN_BYTES = 4096;

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Fields of page records and of session records that the tracker writes: no plugin may set them. Kept
 * apart by record: `vitals` is the session record's own field, while on a page record it belongs to
 * the vitals plugin (PLUGIN-SEAM: the page fields `vitals`, `scroll`, `sections`, `media` of issue 13).
 */
const PAGE_CORE = /* @__PURE__ */ new Set(['path', 'views', 'engagedMs', 'firstSeenAt', 'lastSeenAt', 'band', '__proto__']);
const SESSION_CORE = /* @__PURE__ */ new Set([
  'v', 'type', 'siteId', 'id', 'seq', 'userId', 'anonymousId', 'startedAt', 'lastActiveAt', 'durationMs', 'engagedMs', 'breaks', 'pages', 'band', 'sampleRate', 'final', 'vitals', 'meta', '__proto__',
]);

/** JSON.stringify of JSON data only: a bigint, a function, NaN, undefined or a class instance is refused. */
const toJson = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value, (_, v) => {
      const type = typeof v;
      if (type == 'string' || type == 'boolean' || v === null || (type == 'number' && Number.isFinite(v))) return v;
      if (type == 'object' && (Array.isArray(v) || [Object.prototype, null].includes(Object.getPrototypeOf(v)))) return v;
      throw new TypeError();
    });
  } catch {}
};

type Fields = Record<string, unknown>;
type Listener = (data?: any) => void;

/** Wraps a plugin so that `createTracker({ plugins })` and `tracker.use` (or `sessionMetrics('use', ...)`) take it. */
export function definePlugin(plugin: TrackerPlugin): HostedPlugin {
  return {
    name: plugin.name,
    attach(port) {
      const { tracker } = port;
      const shared = port as unknown as Record<string, string>;
      const warn = (...message: unknown[]) => port.debug && console.warn('[session-metrics]', name + ':', ...message);
      const name = String(plugin.name);
      if (!NAME.test(name) || shared['plugin ' + name]) return void warn('refused: a plugin name is unique and [a-z][a-z0-9-]{0,31}');
      shared['plugin ' + name] = name;
      /** Runs `fn` so that nothing it throws reaches the host page. */
      const guard =
        <A extends unknown[], R>(fn: (...a: A) => R) =>
        (...a: A): R | undefined => {
          try {
            return fn(...a);
          } catch (error) {
            warn(error);
          }
        };
      const listeners: Record<string, Set<Listener>> = {};
      const emit = (event: string, data?: unknown) => listeners[event]?.forEach((listener) => listener(data));
      let page = port.page();
      /** The fields this plugin set, by page name (`null`: the session record). */
      const own = new Map<string | null, Fields>();

      /** Sets `fields` on `pageName` of `s`: over what is there, or (`under`) only where nothing is. */
      const put = (s: SessionState, pageName: string | null, fields: Fields, under?: boolean) => {
        const pages = s.p;
        const target: SessionState | PageState | undefined =
          pageName === null ? s : pages && Object.prototype.hasOwnProperty.call(pages, pageName) ? pages[pageName] : undefined;
        if (target) target.e = under ? { ...fields, ...target.e } : { ...target.e, ...fields };
      };

      const setField = (pageName: string | null, field: unknown, value: unknown) => {
        const json = toJson(value);
        const copy = json === undefined ? json : JSON.parse(json);
        const mine = { ...own.get(pageName), [String(field)]: copy };
        const owner = (shared['field ' + field] ??= name);
        const problem =
          typeof field != 'string' || !field || field.length > 64
            ? 'a field name is a string of 1 to 64 characters'
            : (pageName === null ? SESSION_CORE : PAGE_CORE).has(field)
              ? 'a core field'
              : owner != name
                ? 'a field of the plugin ' + owner
                : json === undefined
                  ? 'not JSON (strings, finite numbers, booleans, null, arrays, plain objects)'
                  : new TextEncoder().encode(JSON.stringify(mine)).length > MAX_PLUGIN_BYTES
                    ? `over ${MAX_PLUGIN_BYTES} bytes of this plugin's fields`
                    : '';
        if (problem) return warn(`refused the field ${String(field)}: ${problem}`);
        own.set(pageName, mine);
        port.edit((s) => put(s, pageName, { [field as string]: copy }));
      };

      const session = (s: { id: string; startedAt: string }): PluginSession => ({ id: s.id, startedAt: Date.parse(s.startedAt) });
      const off = [
        // The tracker announces the end before the next view begins (so that `engagedMs` is still the
        // ending view's), and the change after it.
        tracker.on('pageleave' as never, () => emit('pageend', page)),
        tracker.on('pagechange', () => emit('pagestart', (page = port.page()))),
        tracker.on('sessionstart', (s) => emit('sessionstart', session(s))),
        tracker.on('sessionend', (r) => emit('sessionend', session(r))),
        // The state the record is built from: what another tab dropped goes back, then the plugin writes.
        tracker.on('beforerecord' as never, () => {
          port.edit((s) => own.forEach((fields, pageName) => put(s, pageName, fields, true)));
          emit('beforerecord');
        }),
      ];
      const context: PluginContext = {
        now: port.now,
        window: port.window,
        on(event: string, listener: Listener) {
          const each = guard(listener);
          const set = (listeners[event] ??= new Set()).add(each);
          return () => void set.delete(each);
        },
        page: () => page,
        engagedMs: () => port.engagement()[0],
        engaged: () => port.engagement()[1],
        setPageField: guard((field: string, value: unknown, pageName?: string) =>
          setField(pageName === undefined ? (page?.name ?? '') : String(pageName), field, value),
        ),
        setSessionField: guard((field: string, value: unknown) => setField(null, field, value)),
        warn: (message) => warn(message),
      };
      const remove = guard(() => plugin.setup(context))();
      // Set up while the tracker runs: the page current now is the plugin's first.
      emit('pagestart', page);
      return () => {
        emit('pageend', page);
        off.map((unsubscribe) => unsubscribe());
        if (typeof remove == 'function') guard(remove)();
      };
    },
  };
}

export type { HostedPlugin, PluginContext, PluginPage, PluginSession, TrackerPlugin };
