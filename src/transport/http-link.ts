/**
 * The HTTP fallback link: server-sent events down (a POSTed hello opens the stream, read with
 * fetch so it runs in Node and browsers alike), batched POSTs up whose replies count as if they
 * had come down the stream. No sticky sessions: every request carries the token.
 */
import {
  closeCodes,
  errorCodeList,
  finalCloseCodes,
  limits,
  type ClientFrame,
  type ErrorCode,
} from '../protocol/index.js';
import { abnormalClosure, type Link, type LinkHandlers, type LinkOptions } from './link.js';
import { SseParser } from './sse.js';
import { utf8Length } from './wire.js';

/** The part of a fetch response the link reads; the global `Response` satisfies it. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: {
    getReader(): {
      read(): Promise<{ done: boolean; value?: Uint8Array }>;
      cancel(reason?: unknown): Promise<void>;
    };
  } | null;
  text(): Promise<string>;
}

/** A fetch function: the global `fetch`, or one injected (tests, Node with an Origin header). */
export type FetchLike = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<FetchResponseLike>;

export interface HttpLinkOptions extends LinkOptions {
  fetch: FetchLike;
  streamUrl: string;
  framesUrl: string;
  token: string;
}

/** The longest pause the link takes when the server answers 429 to an upstream POST. */
const maxRateLimitDelayMs = 20_000;
/** The envelope `{"frames":[…]}` around a batch, in bytes. */
const envelopeBytes = utf8Length('{"frames":[]}');

/**
 * Opens an HTTP fallback link. The stream's response headers mean "open"; any byte on the stream
 * (events or `:hb` comments) means "alive"; the end of the stream means "dropped".
 *
 * @example
 * const link = openHttpLink({ fetch, streamUrl, framesUrl, token, hello, handlers, openTimeoutMs: 5000 });
 * link.send({ type: 'message.send', clientId: 'm_1', body: 'Hello' });
 */
export function openHttpLink(options: HttpLinkOptions): Link {
  return new HttpLink(options);
}

class HttpLink implements Link {
  readonly kind = 'http';
  // The stream carries the server's `:hb` comments, so pings would only add POSTs.
  readonly pings = false;
  #handlers: LinkHandlers | undefined;
  readonly #aborter = new AbortController();
  readonly #openTimer: ReturnType<typeof setTimeout>;
  #opened = false;
  readonly #queue: ClientFrame[] = [];
  #posting = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #rateLimitDelayMs = 1000;
  readonly #options: HttpLinkOptions;

  constructor(options: HttpLinkOptions) {
    this.#options = options;
    this.#handlers = options.handlers;
    this.#openTimer = setTimeout(
      () => this.#fail(abnormalClosure, 'stream did not open in time'),
      options.openTimeoutMs,
    );
    void this.#readStream();
  }

  send(frame: ClientFrame): void {
    if (!this.#handlers) return;
    this.#queue.push(frame);
    this.#flushSoon();
  }

  close(): void {
    this.#handlers = undefined;
    this.#stop();
  }

  async #readStream(): Promise<void> {
    const { fetch, streamUrl, hello } = this.#options;
    let response: FetchResponseLike;
    try {
      response = await fetch(streamUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(hello),
        signal: this.#aborter.signal,
      });
    } catch (error) {
      return this.#fail(abnormalClosure, `stream request failed: ${describe(error)}`);
    }
    if (!this.#handlers) return;
    if (!response.ok || !response.body) {
      const { code, reason } = await closeFor(response);
      return this.#fail(code, reason);
    }
    clearTimeout(this.#openTimer);
    this.#opened = true;
    this.#handlers.open();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || !this.#handlers) break;
        this.#handlers.activity();
        for (const data of parser.push(decoder.decode(value, { stream: true }))) this.#handlers?.frame(data);
      }
    } catch (error) {
      return this.#fail(abnormalClosure, `stream failed: ${describe(error)}`);
    }
    this.#fail(abnormalClosure, 'stream ended');
  }

  #flushSoon(): void {
    if (this.#posting || this.#retryTimer !== undefined || this.#queue.length === 0) return;
    this.#posting = true;
    // Frames sent in the same tick travel in one POST.
    queueMicrotask(() => void this.#post());
  }

  /** POSTs the queued frames in order, one request at a time, so the server sees them in order. */
  async #post(): Promise<void> {
    const batch = takeBatch(this.#queue);
    const { fetch, framesUrl, token } = this.#options;
    let response: FetchResponseLike;
    let text: string;
    try {
      response = await fetch(framesUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ frames: batch }),
        signal: this.#aborter.signal,
      });
      text = await response.text();
    } catch (error) {
      // The frames may or may not have arrived; a new link and the outbox resend settle it.
      return this.#fail(abnormalClosure, `upstream request failed: ${describe(error)}`);
    }
    if (!this.#handlers) return;
    this.#posting = false;
    if (response.ok) {
      this.#rateLimitDelayMs = 1000;
      this.#deliverReplies(text);
    } else if (response.status === 429) {
      this.#queue.unshift(...batch);
      this.#retryLater(response);
      return;
    } else {
      const { code, reason, errorCode } = closeFromBody(response.status, text);
      // A server failure or a refusal of the session itself: drop the link, the client reconnects
      // (or stops, for final codes) and resends what is unanswered.
      if (response.status >= 500 || finalCloseCodes.has(code)) {
        return this.#fail(code, reason);
      }
      this.#rejectBatch(batch, errorCode, reason);
    }
    this.#flushSoon();
  }

  /** Hands each reply in a POST response to the client as if it had come down the stream. */
  #deliverReplies(text: string): void {
    let frames: unknown;
    try {
      frames = (JSON.parse(text) as { frames?: unknown }).frames;
    } catch {
      frames = undefined;
    }
    if (!Array.isArray(frames)) {
      // Let the client's decoder report the malformed body like any other bad frame.
      this.#handlers?.frame(text);
      return;
    }
    for (const frame of frames) this.#handlers?.frame(JSON.stringify(frame));
  }

  /** A 4xx for the batch as a whole: answer each frame that waits for a reply with an error frame. */
  #rejectBatch(batch: ClientFrame[], code: ErrorCode, message: string): void {
    for (const frame of batch) {
      const ref = 'ref' in frame ? frame.ref : undefined;
      const clientId = frame.type === 'message.send' ? frame.clientId : undefined;
      if (ref === undefined && clientId === undefined) continue;
      this.#handlers?.frame(JSON.stringify({ type: 'error', code, message: message.slice(0, 500), ref, clientId }));
    }
  }

  #retryLater(response: FetchResponseLike): void {
    const retryAfterSeconds = Number(response.headers.get('retry-after'));
    const delay =
      Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0
        ? Math.min(retryAfterSeconds * 1000, maxRateLimitDelayMs)
        : this.#rateLimitDelayMs;
    this.#rateLimitDelayMs = Math.min(this.#rateLimitDelayMs * 2, maxRateLimitDelayMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#flushSoon();
    }, delay);
  }

  #fail(code: number, reason: string): void {
    const handlers = this.#handlers;
    this.#handlers = undefined;
    this.#stop();
    handlers?.close({ code, reason, opened: this.#opened });
  }

  #stop(): void {
    clearTimeout(this.#openTimer);
    clearTimeout(this.#retryTimer);
    this.#aborter.abort();
  }
}

/** Takes frames off the front of the queue up to the size and count limits of one POST (at least one). */
function takeBatch(queue: ClientFrame[]): ClientFrame[] {
  const batch: ClientFrame[] = [];
  let bytes = envelopeBytes;
  while (queue.length > 0 && batch.length < limits.maxFramesPerPost) {
    const size = utf8Length(JSON.stringify(queue[0])) + 1;
    if (batch.length > 0 && bytes + size > limits.maxFrameBytes) break;
    bytes += size;
    batch.push(queue.shift()!);
  }
  return batch;
}

async function closeFor(response: FetchResponseLike): Promise<{ code: number; reason: string }> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // No body to explain the status; the status alone decides.
  }
  return closeFromBody(response.status, text);
}

/**
 * Maps a refused request (`{"error":{"code","message"}}`) to the close code a WebSocket would
 * have closed with, so both links end alike: 401 unauthorized is final, 429 is retried later,
 * anything without a known close code counts as a server failure (retried).
 */
function closeFromBody(status: number, text: string): { code: number; reason: string; errorCode: ErrorCode } {
  let errorCode: ErrorCode | undefined;
  let message: string | undefined;
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code === 'string' && (errorCodeList as readonly string[]).includes(error.code))
      errorCode = error.code as ErrorCode;
    if (typeof error?.message === 'string') message = error.message;
  } catch {
    // Not a Parley error body (a proxy's page, say); fall back on the status.
  }
  errorCode ??= status === 401 ? 'unauthorized' : status === 429 ? 'rate_limited' : 'internal';
  const code = Object.hasOwn(closeCodes, errorCode)
    ? closeCodes[errorCode as keyof typeof closeCodes]
    : closeCodes.internal;
  return { code, reason: message ?? `HTTP ${status} ${errorCode}`, errorCode };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
