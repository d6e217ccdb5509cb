/**
 * Which page record a web-vitals metric belongs to. web-vitals names the navigation a metric was
 * measured for (`navigationURL`): the document's URL for the hard navigation, and, with
 * `reportSoftNavs` in a browser that reports soft navigations (Chromium's Soft Navigation API), the URL
 * of each single-page-app route. The plugin remembers which page name each page view's URL had, so a
 * metric reported late (INP and CLS are final only when the page is hidden) lands on the page it was
 * measured on, not on the page current at that moment. Pure.
 */

export interface PageNames {
  /** URL without its fragment -> page name, for every page view this document began. */
  _byUrl: Map<string, string>;
  /** The first page view's name: the hard navigation's page. */
  _first: string | null;
}

export const createPageNames = (): PageNames => ({ _byUrl: new Map(), _first: null });

const withoutHash = (url: string) => url.split('#')[0]!;

export function rememberPage(p: PageNames, url: string, name: string): void {
  p._first ??= name;
  const key = withoutHash(url);
  // The first view of a URL keeps it: a later route back to the same URL is a soft navigation of its own,
  // and web-vitals names it with that same URL, which maps to the same page name anyway.
  if (!p._byUrl.has(key)) p._byUrl.set(key, name);
}

/**
 * The page name for a metric: the page view whose URL the metric names; a metric without a URL, or
 * with one no page view began at (a hard navigation's URL before the tracker's first page), belongs to
 * the first page. `null` before any page.
 */
export function pageOfMetric(p: PageNames, navigationURL: string | undefined): string | null {
  return (navigationURL !== undefined ? p._byUrl.get(withoutHash(navigationURL)) : undefined) ?? p._first;
}
