/**
 * Sections in view, through IntersectionObserver: every element marked `data-sm-section="name"`.
 * The observer reports each element whenever its visible share crosses a threshold; thresholds every
 * 2 % of the element find the rule's boundary (sectionCredit.ts `inView`: half of the element, or half
 * of the viewport for a tall one, whose crossing is at a share that depends on its height) to within
 * 2 % of the element's height. Elements are looked up at each page start and each record, so content
 * rendered later is observed too.
 */
import { inView } from './sectionCredit';

export interface SectionWatch {
  /** Observes the marked elements not observed yet. */
  _scan(): void;
  /** Forgets what is in view and observes every marked element again: the observer then reports each anew. */
  _restart(): void;
  _stop(): void;
}

const THRESHOLDS = Array.from({ length: 51 }, (_, i) => i / 50);

export function watchSections(
  w: Window,
  entered: (name: string) => boolean,
  left: (name: string) => void,
): SectionWatch {
  const inside = new Set<Element>();
  let observed = new WeakSet<Element>();
  const io = new (w as unknown as typeof globalThis).IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        // Names are cut to 32 characters so that 50 sections fit the seam's 4 KiB per plugin and page.
        const name = (e.target as HTMLElement).dataset.smSection?.slice(0, 32);
        if (!name) continue;
        const now = inView(e.intersectionRect.height, e.boundingClientRect.height, e.rootBounds?.height ?? w.innerHeight);
        if (now && !inside.has(e.target)) entered(name) && inside.add(e.target);
        else if (!now && inside.delete(e.target)) left(name);
      }
    },
    { threshold: THRESHOLDS },
  );
  const scan = () => w.document.querySelectorAll('[data-sm-section]').forEach((el) => observed.has(el) || (observed.add(el), io.observe(el)));
  return {
    _scan: scan,
    _restart() {
      inside.clear();
      io.disconnect();
      observed = new WeakSet();
      scan();
    },
    _stop: () => io.disconnect(),
  };
}
