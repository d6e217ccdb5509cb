/**
 * The files the collector serves besides its API: the repository's built SDK (/dist/), its examples
 * (/examples/, with / redirecting to the demo page that tracks itself) and the built dashboard
 * (/dashboard/). A part whose directory is missing is skipped, e.g. the dashboard before it is built.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

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
