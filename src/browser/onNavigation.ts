/**
 * Route changes in single-page apps (SEMANTICS.md, "Pages"). There is no event for
 * `history.pushState`/`replaceState` (the Navigation API is not everywhere yet), so both are wrapped;
 * `popstate` (back/forward) and `hashchange` are events. The listener decides whether the page
 * really changed.
 */
import { listen } from './listen';

export function onNavigation(listener: () => void, win: Window = window): () => void {
  const history = win.history;
  let active = 1;
  const restores = (['pushState', 'replaceState'] as const).map((name) => {
    const original = history[name];
    const wrapped = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      if (active) listener();
      return result;
    };
    history[name] = wrapped;
    // Another script may have wrapped ours since: then ours stays in its chain, inert.
    return () => history[name] === wrapped && (history[name] = original);
  });
  const remove = listen(win, 'popstate hashchange', listener);
  return () => {
    active = 0;
    restores.map((restore) => restore());
    remove();
  };
}
