/**
 * A Server-Sent Events parser for streams read with `fetch`: `EventSource` cannot send an
 * `Authorization` header, so the live panel reads `/api/live` as a byte stream and parses it here.
 * Follows the HTML spec's "Interpreting an event stream" (html.spec.whatwg.org/#event-stream-interpretation):
 * lines end in CRLF, LF or CR; `:` starts a comment; one space after the colon is dropped; `data`
 * lines join with `\n`; a blank line dispatches; an event without data is not dispatched.
 */

export interface StreamEvent {
  /** `message` when the stream names none. */
  event: string;
  data: string;
  id?: string;
}

/** Returns a function that takes the next chunk of text and gives back the events it completed. */
export function createEventStreamParser(): (chunk: string) => StreamEvent[] {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  // A chunk may end between the CR and LF of one CRLF; the LF must then not count as a blank line.
  let skipLeadingLf = false;

  return (chunk) => {
    buffer += chunk;
    if (skipLeadingLf && buffer.startsWith('\n')) buffer = buffer.slice(1);
    skipLeadingLf = false;
    const events: StreamEvent[] = [];
    let match: RegExpExecArray | null;
    const lineEnd = /\r\n|\n|\r/g;
    let consumed = 0;
    while ((match = lineEnd.exec(buffer))) {
      // A lone CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (match[0] === '\r' && match.index === buffer.length - 1) {
        skipLeadingLf = true;
      }
      const line = buffer.slice(consumed, match.index);
      consumed = match.index + match[0].length;
      if (line === '') {
        if (data.length > 0) events.push({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
    buffer = buffer.slice(consumed);
    return events;
  };
}
