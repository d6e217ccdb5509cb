/**
 * Route changes in single-page apps (docs/semantics.md, "Pages"). There is no event for
 * `history.pushState`/`replaceState` (the Navigation API is not everywhere yet), so both are wrapped;
 * `popstate` (back/forward) and `hashchange` are events the tracker listens to. The listener decides
 * whether the page really changed. Returns the function that unwraps them.
 */
export function wrapHistory(win: Window, listener: () => void): () => void {
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
  return () => {
    active = 0;
    restores.map((restore) => restore());
  };
}
