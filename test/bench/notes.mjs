// What the tables cannot say by themselves: how each peer was set up and what the comparison
// leaves out. Printed under "Where peers win" in BENCHMARKS.md.
export const NOTES = `### Read the tables with this in mind

- **plausible-tracker** is the smallest and cheapest because it measures no time at all in this
  version: it sends a page view and stops. Its accuracy is N/A, not zero.
- **TimeMe.js** is small and cheap and, on a single tab, as accurate as we are whenever the user
  keeps touching the page; it has no notion of media, counts a sleeping laptop as time on page
  (its idle check counts timer ticks, and a sleeping machine runs none), adds tabs instead of
  taking their union, and sends nothing: delivery is the host's problem.
- **Snowplow** counts a heartbeat window (here \`60 s\`, the same idle timeout as everyone) when it
  saw activity in it, so its figure moves in steps of a minute, sends nothing for visits shorter
  than the first heartbeat, and ignores media. A shorter heartbeat (10 s is common) makes the steps
  finer but counts reading pauses longer than the heartbeat as idle. Its page pings go out as they
  happen, so nothing is left to deliver at close.
- **posthog-js** reports wall-clock time between page view and page leave; it has no idle, media
  or visibility handling in that figure. It was set up lean (no autocapture, replay, surveys, flags
  or remote config), which only flatters its cost. Its bundle is the default \`import posthog from
  'posthog-js'\`; its slim build is smaller but needs extensions added by hand.
- **Receiver down at close**: a request made as the page closes (a beacon, a keepalive fetch)
  outlives the page, so no tracker can learn that it failed. Ours keeps every record queued until a
  normal send confirms it, so at the next visit it goes again, or the newer snapshot of the same
  session that replaced it in the queue (records are cumulative). Snowplow and plausible had nothing left to
  send at close; posthog's \`$pageleave\` is gone for good.
- The storm is dispatched by a script in the page (see test/bench/cost.mjs for why) rather than
  through the browser's input pipeline; every tracker and the floor get the same events.
- Our npm-import row is bundled by the same pipeline as the peers and is what the browser runs
  measure; the script-tag row is the file \`npm run build\` ships, with its own terser settings.
- Idle timeout: \`60 s\` for all. The ground truth is docs/semantics.md's definition, which is also
  ours: the accuracy table measures how close each tracker comes to that definition of engaged
  time, not whether the definition is the right one.`;
