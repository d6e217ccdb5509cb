/**
 * The files the collector serves besides its API: the repository's built SDK (/dist/), its examples
 * (/examples/, with / redirecting to the demo page that tracks itself) and the built dashboard
 * (/dashboard/). A part whose directory is missing is skipped, e.g. the dashboard before it is built.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

// From source (src/routes/) the parts are the repository's; in the built collector (dist/cli.js,
// collector/build.mjs) copies of them in dist/public/.
const fromSource = basename(fileURLToPath(new URL('.', import.meta.url))) === 'routes';
const repo = (p: string) =>
  fileURLToPath(fromSource ? new URL(`../../../${p}`, import.meta.url) : new URL(`./public/${PACKAGED[p] ?? p}`, import.meta.url));
const PACKAGED: Record<string, string> = { 'collector/dashboard/dist': 'dashboard' };

export interface StaticOptions {
  dist?: string;
  examples?: string;
  dashboard?: string;
  /** Where / redirects. @defaultValue '/examples/plain/' */
  home?: string;
}

export const staticRoutes: FastifyPluginAsync<StaticOptions> = async (app, opts) => {
  const parts = [
    { prefix: '/dist/', root: opts.dist ?? repo('dist') },
    { prefix: '/examples/', root: opts.examples ?? repo('examples') },
    { prefix: '/dashboard/', root: opts.dashboard ?? repo('collector/dashboard/dist') },
  ];
  let decorated = false;
  for (const part of parts) {
    if (!existsSync(part.root)) continue;
    await app.register(fastifyStatic, { root: part.root, prefix: part.prefix, decorateReply: !decorated, redirect: true, index: ['index.html'] });
    decorated = true;
  }
  // Browsers keep the #fragment across redirects (RFC 9110 10.2.2), so /dashboard#token=... survives.
  app.get('/dashboard', { schema: { hide: true } }, (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect(opts.home ?? '/examples/plain/'));
};
