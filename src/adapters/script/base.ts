/**
 * `dist/adapters/base.min.js`: what the adapter files share, loaded once per page before them and
 * before session-metrics.min.js. It defines `window.sessionMetricsAdapters` (the registry the adapter
 * files register in, src/adapters/script/register.ts), puts the shared base on it as `_` (each
 * adapter file is built against it: rollup.config.mjs), and wires `data-adapters` and
 * `init({ adapters })` (src/adapters/script/wire.ts).
 */
import * as shared from '../base';
import { createRegistry, register } from './register';
import { wire } from './wire';

const w = window as any;
const registry = (w.sessionMetricsAdapters ||= createRegistry());
registry._ = { ...shared, register };
wire(w, document);
