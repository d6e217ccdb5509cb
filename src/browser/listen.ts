/**
 * The one event-listener helper of the browser layer: adds `listener` for each of the space-separated
 * event `types` on `target` and returns the function that removes them all again.
 * Capturing by default: events that do not bubble (`scroll`, media events) and events the page stops
 * still reach a capturing listener on an ancestor.
 */
export function listen<E extends Event>(
  target: EventTarget,
  types: string,
  listener: (event: E) => unknown,
  options: AddEventListenerOptions | boolean = true,
): () => void {
  const all = types.split(' ');
  all.map((type) => target.addEventListener(type, listener as EventListener, options));
  return () => all.map((type) => target.removeEventListener(type, listener as EventListener, options));
}
