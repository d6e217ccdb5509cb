/**
 * The dashboard: the token, then the view (site, range, granularity, dimension filter, an open page) held
 * in the address bar so a link shares it, and the panels. Each panel fetches its own report, so one slow or
 * failing report leaves the others readable.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReportError } from 'session-metrics/react';
import { describeError } from './api/describeError';
import { TokenPrompt } from './components/TokenPrompt';
import { Overview } from './Overview';
import { Header } from './components/Header';
import { PageDetail } from './components/PageDetail';
import { forgetToken, saveToken, takeToken } from './token';
import { takeLoadToken } from './firstReports';
import { useReport, type ReportContext } from './useReport';
import { searchOfView, viewFromSearch, type View } from './view';

export function App({ baseUrl = '' }: { baseUrl?: string }) {
  const [token, setToken] = useState<string | null>(() => takeLoadToken() ?? takeToken());
  const [refused, setRefused] = useState<string | null>(null);

  const onUnauthorized = useCallback((error: ReportError) => {
    forgetToken();
    setToken(null);
    const text = describeError(error);
    setRefused(`${text.title} ${text.hint}`);
  }, []);

  if (!token) {
    return (
      <TokenPrompt
        refused={refused}
        onToken={(t) => {
          saveToken(t);
          setRefused(null);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Dashboard
      context={{ token, baseUrl, onUnauthorized }}
      onSignOut={() => {
        forgetToken();
        setToken(null);
      }}
    />
  );
}

function Dashboard({ context, onSignOut }: { context: ReportContext; onSignOut: () => void }) {
  const [view, setViewState] = useState<View>(() => viewFromSearch(location.search));
  const [refresh, setRefresh] = useState(0);
  const pushed = useRef(false);
  // Opening a page's detail is a step the browser's Back undoes; every other change replaces the entry.
  const setView = useCallback((next: Partial<View>) => {
    setViewState((current) => {
      const view = { ...current, ...next };
      const url = `${location.pathname}${searchOfView(view)}`;
      if ('page' in next && next.page !== current.page && next.page !== undefined) {
        history.pushState(null, '', url);
        pushed.current = true;
      } else history.replaceState(null, '', url);
      return view;
    });
  }, []);
  useEffect(() => {
    const onPop = () => {
      pushed.current = false;
      setViewState(viewFromSearch(location.search));
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const sites = useReport<{ sites: { site_id: string; sessions: number }[] }>('/api/reports/sites', {}, context, refresh);

  const openPage = useCallback((page: string) => {
    setView({ page });
    scrollTo({ top: 0 });
  }, [setView]);
  // "All pages" is the browser's Back when the detail was opened here; from a shared link it replaces the entry.
  const back = useCallback(() => (pushed.current ? history.back() : setView({ page: undefined })), [setView]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the figures
      </a>
      <Header view={view} sites={sites} onChange={setView} onRefresh={() => setRefresh((n) => n + 1)} onSignOut={onSignOut} />
      <main id="main" tabIndex={-1}>
        {view.page ? (
          <PageDetail view={{ ...view, page: view.page }} context={context} refresh={refresh} onBack={back} />
        ) : (
          <Overview view={view} context={context} refresh={refresh} setView={setView} onOpenPage={openPage} />
        )}
      </main>
      <footer className="foot">
        <a href="/docs">API documentation</a> · <a href="/openapi.json">OpenAPI</a> · <a href="/examples/plain/">Demo page</a>
      </footer>
    </>
  );
}
