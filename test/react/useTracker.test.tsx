import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { useTracker, type UseTrackerSettings } from '../../src/react';
import { createTracker, type Tracker, type TrackerDeps } from '../../src/browser/tracker';
import type { TrackerOptions } from '../../src/browser/tracker';
import { createDelivery, memoryStore } from '../../src/delivery';
import { memoryTransport } from '../../src/transports/memory';

// The real tracker on this test's window, delivering into memory (happy-dom has no IndexedDB).
const deps: TrackerDeps = { storage: null, delivery: (o) => createDelivery({ ...o, store: memoryStore(), locks: null }) };

let created: Tracker[];
const countingCreate: UseTrackerSettings['create'] = (options, d) => {
  const tracker = createTracker(options, d);
  created.push(tracker);
  return tracker;
};

let current: Tracker | null = null;
function Host({ options, userId }: { options?: TrackerOptions; userId?: string | null }) {
  current = useTracker(options ?? { siteId: 'site', transport: memoryTransport() }, { userId, deps, create: countingCreate });
  return <p>{current ? 'tracking' : 'starting'}</p>;
}

// A fake clock: the user acts a second after the last step. On the real clock, a render, a signal and
// a snapshot could fall in one millisecond, where the session has no engaged time yet and so no record.
const activity = () => {
  act(() => void vi.advanceTimersByTime(1000));
  act(() => void document.dispatchEvent(new Event('pointerdown')));
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  created = [];
  current = null;
  window.history.replaceState(null, '', '/');
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  Object.defineProperty(document, 'hidden', { value: false, configurable: true });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useTracker', () => {
  it('starts one tracker however often the host re-renders with new options objects', () => {
    const view = render(<Host />);
    expect(view.container.textContent).toBe('tracking');
    const first = current;
    view.rerender(<Host options={{ siteId: 'site', transport: memoryTransport() }} />);
    view.rerender(<Host options={{ siteId: 'other', transport: memoryTransport() }} />);
    expect(created).toHaveLength(1);
    expect(current).toBe(first);
  });

  it('follows route changes of a single-page app', () => {
    render(<Host />);
    const changes: string[] = [];
    current!.on('pagechange', ({ path }) => changes.push(path));
    activity();

    act(() => window.history.pushState({}, '', '/lesson/2?tab=notes'));
    activity();
    act(() => window.history.pushState({}, '', '/quiz'));
    activity();

    expect(changes).toEqual(['/lesson/2', '/quiz']);
    expect(current!.snapshot()!.pages.map((p) => p.path)).toEqual(expect.arrayContaining(['/', '/lesson/2', '/quiz']));
  });

  it('stops the tracker on unmount: route changes go unnoticed and history is restored', () => {
    const originalPushState = window.history.pushState;
    const view = render(<Host />);
    const tracker = current!;
    expect(window.history.pushState).not.toBe(originalPushState);
    const changes: string[] = [];
    tracker.on('pagechange', ({ path }) => changes.push(path));

    view.unmount();
    expect(window.history.pushState).toBe(originalPushState);
    window.history.pushState({}, '', '/after-unmount');
    expect(changes).toEqual([]);
  });

  it("survives StrictMode's mount, unmount, mount in development: one live tracker, routes still followed", () => {
    const originalPushState = window.history.pushState;
    const view = render(
      <StrictMode>
        <Host />
      </StrictMode>,
    );
    // React runs the effect twice; the first tracker is stopped before the second starts.
    expect(created).toHaveLength(2);
    expect(current).toBe(created[1]);
    const changes: string[] = [];
    current!.on('pagechange', ({ path }) => changes.push(path));
    activity();
    act(() => window.history.pushState({}, '', '/strict'));
    expect(changes).toEqual(['/strict']);
    view.unmount();
    expect(window.history.pushState).toBe(originalPushState);
  });

  it('identifies the signed-in user and follows sign-in changes', () => {
    const view = render(<Host userId="alice" />);
    activity();
    expect(current!.snapshot()!.userId).toBe('alice');
    view.rerender(<Host userId="bob" />);
    activity();
    expect(current!.snapshot()!.userId).toBe('bob');
    view.rerender(<Host userId={null} />);
    activity();
    expect(current!.snapshot()!.userId).toBeNull();
  });

  it('leaves identify alone when no userId is given', () => {
    render(<Host />);
    activity();
    act(() => current!.identify('set-by-host'));
    activity();
    expect(current!.snapshot()!.userId).toBe('set-by-host');
  });
});
