// Snowplow: a tracker with activity tracking (page pings) and a page view to start them.
// A minute counts as engaged when it had activity: minimumVisitLength = heartbeatDelay = idle timeout.
import { newTracker, enableActivityTracking, trackPageView, addPlugin } from '@snowplow/browser-tracker';

const { base, idleSeconds } = window.BENCH;
newTracker('sp', base, { appId: 'bench', eventMethod: 'post', bufferSize: 1 });
enableActivityTracking({ minimumVisitLength: idleSeconds, heartbeatDelay: idleSeconds });
let pings = 0;
addPlugin({ plugin: { afterTrack: (payload) => void (payload.e === 'pp' && pings++) } });
trackPageView();
window.bench = { pings: () => pings };
