/**
 * Pages (SEMANTICS.md, "Pages"): a page is the URL path, without query or hash, unless the host's
 * `pageName(url)` maps it otherwise; `trackSpecificPages` globs choose which pages get page records.
 */

/** The default page name: the path alone. Query strings are dropped, they often carry personal data. */
export const pathOf = (url: URL): string => url.pathname;

/**
 * A matcher for `trackSpecificPages`: exact paths or globs where `*` stands for any characters but
 * `/` and `**` for any characters at all. An empty list matches every page.
 */
export function pageMatcher(patterns: readonly string[]): (path: string) => boolean {
  const res = patterns.map(
    (p) =>
      new RegExp(
        '^' + p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*?/g, (stars) => (stars[1] ? '.*' : '[^/]*')) + '$',
      ),
  );
  return (path) => !res.length || res.some((re) => re.test(path));
}
