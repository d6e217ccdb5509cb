/**
 * The dashboard build: `npm run build:dashboard -w collector` writes `collector/dashboard/dist/`,
 * which the collector serves at `/dashboard/`. `npx vite --config collector/dashboard/vite.config.ts`
 * serves it with hot reload and forwards the API to a running collector (`SM_COLLECTOR_URL`,
 * default http://127.0.0.1:8787).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const collector = process.env.SM_COLLECTOR_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  plugins: [react()],
  // The SDK's React entry by its package name (its `exports` subpath), never by a path into src/.
  resolve: { alias: { 'session-metrics/react': fileURLToPath(new URL('../../src/react/index.ts', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The numbers in the report below `vite build` are the dashboard's download size.
    reportCompressedSize: true,
    // Two pages: the dashboard, and the embeddable <SessionDuration /> as a host page shows it.
    rollupOptions: { input: { index: fileURLToPath(new URL('index.html', import.meta.url)), embed: fileURLToPath(new URL('embed.html', import.meta.url)) } },
  },
  server: {
    proxy: { '/api': collector, '/docs': collector, '/openapi.json': collector },
  },
});
