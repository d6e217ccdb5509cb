// Accuracy scenarios: scripted sessions, in seconds from the first page load, and their ground truth.
// A scenario is a list of steps `{ at, do, tab }`:
//   open   the tab loads, visible            input  real mouse move + wheel in the tab
//   hide   the tab becomes hidden            show   the tab becomes visible again
//   play   a click on the video's play button pause  the video pauses
//   sleep  the machine sleeps until `to`: the clock jumps, no timer runs on the way
//   end    every tab is hidden, read, then closed
// Ground truth follows docs/semantics.md: a tab is engaged while it is visible and either media plays or
// the last activity signal (input, load, becoming visible, the click on play, and every instant of
// playback) is less than the idle timeout old; a session's engaged time is the union over its tabs.

/** `input` steps every `step` seconds from `from` to `to` inclusive. */
const inputs = (from, to, step, tab = 0) => {
  const out = [];
  for (let at = from; at <= to; at += step) out.push({ at, do: 'input', tab });
  return out;
};

export const scenarios = [
  {
    id: 'reading',
    title: 'reading: a scroll every 40 s for 5 min, then 2 min idle',
    steps: [{ at: 0, do: 'open' }, ...inputs(40, 320, 40), { at: 450, do: 'end' }],
  },
  {
    id: 'idle',
    title: 'idling: 1 min of activity, then 14 min visible and untouched',
    steps: [{ at: 0, do: 'open' }, ...inputs(20, 60, 20), { at: 900, do: 'end' }],
  },
  {
    id: 'tab-switch',
    title: 'switching tabs: 2 min active, 5 min in another tab, back for 1.5 min',
    steps: [{ at: 0, do: 'open' }, ...inputs(20, 120, 20), { at: 130, do: 'hide' }, { at: 430, do: 'show' }, ...inputs(450, 510, 20), { at: 600, do: 'end' }],
  },
  {
    id: 'video',
    title: 'watching a video: 6 min of playback without input, then 2 min paused',
    video: true,
    steps: [{ at: 0, do: 'open' }, { at: 5, do: 'play' }, { at: 365, do: 'pause' }, { at: 500, do: 'end' }],
  },
  {
    id: 'sleep',
    title: 'a sleeping laptop: 2 min active, 45 min asleep with the tab visible, 1 min active',
    steps: [{ at: 0, do: 'open' }, ...inputs(20, 120, 20), { at: 130, do: 'sleep', to: 2830 }, ...inputs(2830, 2890, 20), { at: 2900, do: 'end' }],
  },
  {
    id: 'two-tabs',
    title: 'several tabs: two windows side by side, used in overlapping stretches',
    steps: [{ at: 0, do: 'open', tab: 0 }, ...inputs(20, 120, 20, 0), { at: 60, do: 'open', tab: 1 }, ...inputs(80, 240, 20, 1), { at: 300, do: 'end' }]
      .sort((a, b) => a.at - b.at),
  },
  {
    id: 'quick-look',
    title: 'a quick look: 25 s on the page, then closed',
    steps: [{ at: 0, do: 'open' }, ...inputs(5, 20, 5), { at: 25, do: 'end' }],
  },
];

/** Engaged milliseconds by docs/semantics.md's definition, from the script alone. */
export function groundTruthMs(steps, idleSeconds) {
  const tabs = new Map(); // tab -> { visible, last, playing }
  const intervals = [];
  let clock = 0;
  const credit = (to) => {
    for (const t of tabs.values()) {
      if (!t.visible) continue;
      const end = t.playing ? to : Math.min(to, t.last + idleSeconds);
      if (end > clock) intervals.push([clock, end]);
    }
  };
  for (const step of steps) {
    credit(step.at);
    clock = step.at;
    const tab = tabs.get(step.tab ?? 0);
    switch (step.do) {
      case 'open':
        tabs.set(step.tab ?? 0, { visible: true, last: step.at, playing: false });
        break;
      case 'input':
        tab.last = step.at;
        break;
      case 'hide':
        tab.visible = false;
        break;
      case 'show':
        Object.assign(tab, { visible: true, last: step.at });
        break;
      case 'play':
        Object.assign(tab, { playing: true, last: step.at });
        break;
      case 'pause':
        // Playback was activity at every instant up to now, so the buffer runs from the pause.
        Object.assign(tab, { playing: false, last: step.at });
        break;
      case 'sleep':
        credit(step.to);
        clock = step.to;
        break;
      case 'end':
        for (const t of tabs.values()) t.visible = false;
        break;
    }
  }
  // Union of the intervals.
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [from, to] of intervals) {
    if (to <= reach) continue;
    total += to - Math.max(from, reach);
    reach = to;
  }
  return total * 1000;
}
