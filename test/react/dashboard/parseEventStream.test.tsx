import { describe, expect, it } from 'vitest';
import { createEventStreamParser } from '../../../collector/dashboard/src/parseEventStream';

describe('createEventStreamParser (HTML "Interpreting an event stream")', () => {
  it('dispatches on a blank line with the event name and joined data lines', () => {
    const parse = createEventStreamParser();
    expect(parse('event: active\ndata: {"a":1,\ndata: "b":2}\n\n')).toEqual([{ event: 'active', data: '{"a":1,\n"b":2}' }]);
  });

  it('keeps a partial event across chunks, split anywhere', () => {
    const parse = createEventStreamParser();
    const text = 'event: active\ndata: {"sessions":[]}\n\n';
    const events = [...text].flatMap((ch) => parse(ch));
    expect(events).toEqual([{ event: 'active', data: '{"sessions":[]}' }]);
  });

  it('accepts CRLF and CR line ends, including a CRLF split between chunks', () => {
    const parse = createEventStreamParser();
    expect(parse('event: a\r\ndata: 1\r')).toEqual([]);
    // The LF completing the CRLF must not count as the blank line that dispatches.
    expect(parse('\ndata: 2\r\r')).toEqual([{ event: 'a', data: '1\n2' }]);
  });

  it('ignores comments (the heartbeat style ": ping") and events without data', () => {
    const parse = createEventStreamParser();
    expect(parse(': ping\n\nevent: nothing\n\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('drops only one space after the colon and keeps the id', () => {
    const parse = createEventStreamParser();
    expect(parse('id: 7\ndata:  two spaces\n\n')).toEqual([{ event: 'message', data: ' two spaces', id: '7' }]);
  });
});
