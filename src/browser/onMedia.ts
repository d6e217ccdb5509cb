/**
 * Whether any `<video>` or `<audio>` of the document is playing (SEMANTICS.md, "Media").
 *
 * Media events do not bubble, so they are captured on the document; after each one every media
 * element is checked, which also covers several players at once. The listener is called once at
 * once, for media already playing (autoplay) before the tracker started. Media inside shadow roots
 * or iframes is not seen: such hosts call `tracker.activity()`.
 */
import { listen } from './listen';

export function onMedia(listener: (playing: boolean) => void, doc: Document = document): () => void {
  const check = () =>
    listener([...doc.querySelectorAll<HTMLMediaElement>('video,audio')].some((m) => !m.paused && !m.ended));
  check();
  return listen(doc, 'play pause ended', check);
}
