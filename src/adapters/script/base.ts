/**
 * `dist/adapters/base.min.js`: what the adapter files share, loaded once per page before them and
 * before session-metrics.min.js. It defines `window.sessionMetricsAdapters` (the registry the adapter
 * files register in, src/adapters/script/register.ts), puts the shared base on it as `_` (each
 * adapter file is built against it: rollup.config.mjs), and wires `data-adapters` and
 * `init({ adapters })` (src/adapters/script/wire.ts).
 */
import type * as Base from '../base';
import {
  adapterTransport,
  defaultStorage,
  eventName,
  nameOf,
  parseLedger,
  reportProps,
  uuidFrom,
  vendorGlobal,
  withinLimits,
} from '../base';
import { createRegistry, register } from './register';
import { wire } from './wire';

const w = window as any;
const registry = (w.sessionMetricsAdapters ||= createRegistry());
// A plain object rather than the module namespace (Rollup freezes one, 20 B more). What the adapter
// files use of the base; the type says when src/adapters/base.ts exports something that is missing
// here (`account` and `keySource` serve the ledger and the relays, never an adapter file).
registry._ = {
  adapterTransport,
  defaultStorage,
  eventName,
  nameOf,
  parseLedger,
  reportProps,
  uuidFrom,
  vendorGlobal,
  withinLimits,
  register,
} satisfies Omit<typeof Base, 'account' | 'keySource'> & { register: unknown };
wire(w, document);
