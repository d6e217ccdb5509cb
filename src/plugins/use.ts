/**
 * `sessionMetrics('use', plugin)` from a plugin's script-tag file. When the main file has not run yet,
 * the documented pre-load stub is installed first, so the call waits in its queue and the main file
 * replays it (src/script.ts). The plugin goes unhosted: the main file with the seam hosts it
 * (`definePlugin`), so a page with several plugin files carries one host.
 */
import type { TrackerPlugin } from '../plugin/index';

type Stub = ((...args: unknown[]) => unknown) & { q?: unknown[] };

export function use(plugin: TrackerPlugin): void {
  const w = window as unknown as { sessionMetrics?: Stub };
  const sm: Stub = (w.sessionMetrics ??= function (...args: unknown[]) {
    // Queued as `arguments` objects, like the inline stub does.
    (sm.q ??= []).push(args);
  } as Stub);
  sm('use', plugin);
}
