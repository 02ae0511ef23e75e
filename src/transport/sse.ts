/** An incremental parser for `text/event-stream`, enough for the Parley stream (data lines and comments). */

/**
 * Splits server-sent events out of text chunks as they arrive, whatever the chunk boundaries.
 * Returns the `data` of each complete event (multi-line data joined with "\n"); comments such as
 * the heartbeat `:hb`, and the `event`, `id` and `retry` fields are skipped.
 *
 * @example
 * const parser = new SseParser();
 * parser.push('data: {"type":"pong"}\n'); // []
 * parser.push('\n:hb\n\n'); // ['{"type":"pong"}']
 */
export class SseParser {
  #pending = '';
  #data: string[] = [];

  push(chunk: string): string[] {
    this.#pending += chunk;
    const events: string[] = [];
    const lineEnd = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = lineEnd.exec(this.#pending); match; match = lineEnd.exec(this.#pending)) {
      // A trailing "\r" may be the first half of "\r\n": wait for the next chunk to tell.
      if (match[0] === '\r' && match.index + 1 === this.#pending.length) break;
      this.#line(this.#pending.slice(start, match.index), events);
      start = match.index + match[0].length;
    }
    this.#pending = this.#pending.slice(start);
    return events;
  }

  #line(line: string, events: string[]): void {
    if (line === '') {
      if (this.#data.length > 0) events.push(this.#data.join('\n'));
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    const value = colon === -1 ? '' : line.slice(colon + 1);
    this.#data.push(value.startsWith(' ') ? value.slice(1) : value);
  }
}
