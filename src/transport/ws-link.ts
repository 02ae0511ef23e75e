/** The WebSocket link: one socket, JSON text frames, the hello sent as soon as it opens. */
import type { ClientFrame } from '../protocol/index.js';
import { abnormalClosure, type Link, type LinkHandlers, type LinkOptions } from './link.js';

// Handler properties are typed through a method signature so their parameters compare
// bivariantly: the browser's handlers take DOM events and ws's take its own event classes, and
// both must be assignable here.
type Listener<E> = { bivariant(event: E): void }['bivariant'];

/**
 * The part of a WebSocket the client uses. Both the browser's `WebSocket` and the `ws`
 * package's `WebSocket` satisfy it, so neither the DOM types nor `ws` are imported.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Listener<unknown> | null;
  onmessage: Listener<{ data: unknown }> | null;
  onclose: Listener<{ code: number; reason: string }> | null;
  onerror: Listener<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: the browser's `globalThis.WebSocket`, or `ws` injected in Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;
const decoder = new TextDecoder();

/** Turns a message event's data into text; `ws` may hand over bytes, browsers strings. */
function asText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return decoder.decode(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) return decoder.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return undefined;
}

/**
 * Opens a WebSocket link: sends the hello on open, reports each text frame and every close,
 * and gives up on a socket that has not opened within `openTimeoutMs`.
 *
 * @example
 * const link = openWebSocketLink(WebSocket, 'wss://chat.example.com/v1/ws', { hello, handlers, openTimeoutMs: 5000 });
 * link.send({ type: 'ping' });
 */
export function openWebSocketLink(WebSocketClass: WebSocketConstructor, url: string, options: LinkOptions): Link {
  return new WebSocketLink(WebSocketClass, url, options);
}

class WebSocketLink implements Link {
  readonly kind = 'websocket';
  readonly pings = true;
  readonly #socket: WebSocketLike;
  #handlers: LinkHandlers | undefined;
  #opened = false;
  #openTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(WebSocketClass: WebSocketConstructor, url: string, { hello, handlers, openTimeoutMs }: LinkOptions) {
    this.#handlers = handlers;
    this.#socket = new WebSocketClass(url);
    this.#openTimer = setTimeout(() => this.#fail('websocket did not open in time'), openTimeoutMs);
    this.#socket.onopen = () => {
      clearTimeout(this.#openTimer);
      this.#opened = true;
      this.send(hello);
      this.#handlers?.open();
    };
    this.#socket.onmessage = (event) => {
      const text = asText(event.data);
      this.#handlers?.activity();
      if (text !== undefined) this.#handlers?.frame(text);
    };
    this.#socket.onclose = (event) => this.#finish(event.code || abnormalClosure, event.reason || '');
    // An error is always followed by a close event; the close carries what we report. Having a
    // listener also keeps `ws` from throwing an unhandled 'error'.
    this.#socket.onerror = () => undefined;
  }

  send(frame: ClientFrame): void {
    if (this.#socket.readyState !== OPEN) return;
    try {
      this.#socket.send(JSON.stringify(frame));
    } catch {
      // The socket is closing; its close event follows and the outbox resends what matters.
    }
  }

  close(code = 1000, reason = ''): void {
    this.#handlers = undefined;
    clearTimeout(this.#openTimer);
    this.#closeSocket(code, reason);
  }

  /** Ends a socket that misbehaves on our side (open timeout) and reports it as dropped. */
  #fail(reason: string): void {
    this.#closeSocket(1000, reason);
    this.#finish(abnormalClosure, reason);
  }

  #finish(code: number, reason: string): void {
    clearTimeout(this.#openTimer);
    const handlers = this.#handlers;
    this.#handlers = undefined;
    handlers?.close({ code, reason, opened: this.#opened });
  }

  #closeSocket(code: number, reason: string): void {
    try {
      this.#socket.close(code, reason);
    } catch {
      // Closing a socket that is still connecting may throw in some runtimes; it is gone either way.
    }
  }
}
