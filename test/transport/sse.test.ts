import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/transport/sse.js';

describe('SseParser', () => {
  it('returns event data across arbitrary chunk boundaries and skips comments', () => {
    const text = 'data: {"type":"pong"}\n\n:hb\n\ndata: {"a":1}\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      expect([...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))]).toEqual([
        '{"type":"pong"}',
        '{"a":1}',
      ]);
    }
  });

  it('handles CRLF and CR line ends, multi-line data and other fields', () => {
    const parser = new SseParser();
    expect(parser.push('event: x\r\nid: 7\r\ndata: one\r\ndata:two\r')).toEqual([]);
    // A lone trailing "\r" could still become "\r\n", so the blank line is only known later.
    expect(parser.push('\n\r')).toEqual([]);
    expect(parser.push('data: three\r\r')).toEqual(['one\ntwo']);
    expect(parser.push('\n')).toEqual(['three']);
  });

  it('ignores blank events and comment-only traffic', () => {
    const parser = new SseParser();
    expect(parser.push('\n\n:hb\n\n: anything\n\n')).toEqual([]);
  });
});
