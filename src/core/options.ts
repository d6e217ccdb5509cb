/**
 * Tracker options: names, defaults and validation (SEMANTICS.md, "Configuration names").
 * An invalid option is reported with a message that names it, and its default is used instead:
 * the host page never sees an exception from the SDK.
 */
import { PLUGINS } from '../features';
import type { Meta, WireRecord } from './records';
import type { Threshold } from './thresholds';
import type { Transport } from './transport';

export type { Meta, WireRecord, Transport };

/** A threshold in seconds of engaged time, or with `below: true` for an alert when a session ends short of it. */
export type ThresholdOption = number | { seconds: number; below?: boolean };

/** `P`: what a plugin is (src/browser/plugins.ts: the core knows no DOM). */
export interface TrackerOptions<P = unknown> {
  /** Measure at all. @defaultValue `true` */
  enabled?: boolean;
  /** Minutes without engagement after which the session ends. @defaultValue `30` */
  sessionExpirationThreshold?: number;
  /** Paths or globs (`*` within a segment, `**` across) that get page records; `[]` is every page. @defaultValue `[]` */
  trackSpecificPages?: string[];
  /** Seconds of engagement credited after the last activity signal. @defaultValue `60` */
  bufferTimeBeforeEnd?: number;
  /** Share of sessions kept, in [0, 1], decided per session. @defaultValue `1` */
  samplingRate?: number;
  /** Log each decision to the console. @defaultValue `false` */
  debugMode?: boolean;
  /** URL that receives records by `sendBeacon`/`fetch`. */
  endpoint?: string;
  /** Your own transport(s), in addition to or instead of `endpoint`. */
  transport?: Transport | Transport[];
  /** Names the site in records and in storage keys. @defaultValue `location.hostname` */
  siteId?: string;
  /** Named thresholds of engaged time, in seconds. @defaultValue `{ casual: 30, engaged: 300 }` */
  thresholds?: Record<string, ThresholdOption>;
  /** Also send alerts as `type: "alert"` records. @defaultValue `false` */
  sendAlerts?: boolean;
  /** Maps a URL to a page name, e.g. `/lesson/123` to `/lesson/:id`. @defaultValue the path */
  pageName?: (url: URL) => string;
  /** Seconds between snapshots while engaged (only when something changed). @defaultValue `30` */
  flushInterval?: number;
  /** Measure nothing when Global Privacy Control or Do Not Track is on. @defaultValue `true` */
  respectDoNotTrack?: boolean;
  /** `"pending"` measures nothing until `grantConsent()`. @defaultValue `"granted"` */
  consent?: 'granted' | 'pending';
  /** Your own dimensions, sent with every session record. */
  meta?: Meta;
  /** Plugins to set up when the tracker starts (src/browser/plugins.ts). @defaultValue `[]` */
  plugins?: readonly P[];
}

export interface ResolvedOptions {
  enabled: boolean;
  sessionExpirationThreshold: number;
  trackSpecificPages: string[];
  bufferTimeBeforeEnd: number;
  samplingRate: number;
  debugMode: boolean;
  endpoint: string | undefined;
  transport: Transport[];
  siteId: string;
  thresholds: Threshold[];
  sendAlerts: boolean;
  pageName: ((url: URL) => string) | undefined;
  flushInterval: number;
  respectDoNotTrack: boolean;
  consent: 'granted' | 'pending';
  meta: Meta | undefined;
  plugins: unknown[];
  /** `bufferTimeBeforeEnd` in ms (in memory only: `_` names are shortened in the bundle). */
  _bufferMs: number;
  /** `sessionExpirationThreshold` in ms. */
  _expiryMs: number;
  /** `flushInterval` in ms. */
  _flushMs: number;
}

const isNum = (v: unknown): v is number => Number.isFinite(v);
const positive = (v: unknown) => isNum(v) && v > 0;
const bool = (v: unknown) => typeof v == 'boolean';
const str = (v: unknown) => typeof v == 'string' && !!v;
const object = (v: unknown, each: (x: any) => unknown) => typeof v == 'object' && !!v && Object.values(v).every(each);
const show = (v: unknown) => {
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
};
const thresholdMs = (v: any) => {
  const s = v?.seconds ?? v;
  return isNum(s) && s >= 0 ? s * 1000 : NaN;
};

/** name -> [check, what it must be, default] */
const RULES: { [K in keyof TrackerOptions]?: [(v: unknown) => unknown, string, unknown?] } = {
  enabled: [bool, 'a boolean', true],
  sessionExpirationThreshold: [positive, 'minutes > 0', 30],
  trackSpecificPages: [(v) => Array.isArray(v) && v.every(str), 'an array of paths', []],
  bufferTimeBeforeEnd: [positive, 'seconds > 0', 60],
  samplingRate: [(v) => isNum(v) && v >= 0 && v <= 1, 'a number in [0, 1]', 1],
  debugMode: [bool, 'a boolean', false],
  endpoint: [str, 'a URL'],
  transport: [(v) => [v].flat().every((t) => typeof (t as any)?.send == 'function'), '{ send } or a list of them', []],
  siteId: [str, 'a string'],
  thresholds: [(v) => object(v, (t) => thresholdMs(t) >= 0), '{ name: seconds }', { casual: 30, engaged: 300 }],
  sendAlerts: [bool, 'a boolean', false],
  pageName: [(v) => typeof v == 'function', 'a function'],
  // At least 5 s: a snapshot is a request (1e-6 s was 160 requests in 3 s).
  flushInterval: [(v) => isNum(v) && v >= 5, 'seconds >= 5', 30],
  respectDoNotTrack: [bool, 'a boolean', true],
  consent: [(v) => v == 'granted' || v == 'pending', '"granted" or "pending"', 'granted'],
  // Values a record can carry: null, a string, a boolean or a number (NaN and Infinity travel as null);
  // not a BigInt, which would make every snapshot throw, nor a symbol, which would vanish.
  meta: [(v) => object(v, (x) => x === null || /^(st|bo|nu)/.test(typeof x)), 'a flat object of strings, numbers and booleans'],
};
// The default script tag has no plugin seam (src/features.ts): there `plugins` is an unknown option.
if (PLUGINS) RULES.plugins = [Array.isArray, 'an array of plugins', []];

/**
 * Fills in defaults and checks every option. Returns the options to use and reports one message per
 * problem, each naming the option; an invalid option falls back to its default.
 */
export function resolveOptions(input: unknown, defaultSiteId: string, report: (problem: string) => void): ResolvedOptions {
  const given: any = typeof input == 'object' && input ? input : {};
  if (input != null && given !== input) report('options must be an object');
  const o: any = { siteId: defaultSiteId };
  for (const key in RULES) {
    const [ok, what, fallback] = RULES[key as keyof TrackerOptions]!;
    // Read once, here: a getter or a Proxy trap that throws makes the option invalid.
    let v: unknown, bad: unknown;
    try {
      bad = (v = given[key]) !== undefined && !ok(v);
    } catch (error) {
      bad = v = '' + error;
    }
    if (bad) report(`option ${key} must be ${what}, got ${show(v)}`);
    o[key] = bad || v === undefined ? (fallback ?? o[key]) : v;
  }
  try {
    for (const key in given) if (!(key in RULES)) report('unknown option ' + key);
  } catch {}
  o.transport = [o.transport].flat();
  o.thresholds = Object.entries(o.thresholds).map(([name, t]: [string, any]) => ({ name, ms: thresholdMs(t), below: !!t.below }));
  o._bufferMs = o.bufferTimeBeforeEnd * 1e3;
  o._expiryMs = o.sessionExpirationThreshold * 6e4;
  o._flushMs = o.flushInterval * 1e3;
  return o;
}
