/**
 * The one event-listener helper of the browser layer: adds `listener` for each of the space-separated
 * event `types` on `target` and returns the function that removes them all again.
 * Capturing: events that do not bubble (`scroll`, media events) and events the page stops still reach
 * a capturing listener on an ancestor. Passive: the SDK never cancels an event, so a listener never
 * delays scrolling.
 */
export function listen(target: EventTarget, types: string, listener: (event: any) => unknown): () => void {
  const all = types.split(' ');
  const options = { capture: true, passive: true };
  all.map((type) => target.addEventListener(type, listener, options));
  return () => all.map((type) => target.removeEventListener(type, listener, options));
}
