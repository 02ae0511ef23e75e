/** The contract every transport link (WebSocket, HTTP fallback) fulfils for the client. */
import type { ClientFrame, ClientFrameOf } from '../protocol/index.js';

export type TransportKind = 'websocket' | 'http';

/** Why a link went down; `opened` tells a refused connection from a dropped one. */
export interface LinkClose {
  code: number;
  reason: string;
  /** Whether the link had opened (WebSocket open, or the stream's response headers arrived). */
  opened: boolean;
}

/** Callbacks a link makes into its owner. A link never calls any of them after `close()`. */
export interface LinkHandlers {
  /** The link is up and the hello is on its way. */
  open(): void;
  /** One server frame as JSON text, not yet validated. */
  frame(text: string): void;
  /** Bytes arrived on the downstream: proof that the link is alive (also heartbeat comments). */
  activity(): void;
  /** The link went down by itself; called at most once. */
  close(info: LinkClose): void;
}

/** One connection attempt. The hello frame is handed over at creation and sent when it opens. */
export interface Link {
  readonly kind: TransportKind;
  /** Whether the client should ping over it (the SSE stream carries its own heartbeat comments). */
  readonly pings: boolean;
  /** Sends one frame; frames sent before the link failed may be lost, the outbox resends them. */
  send(frame: ClientFrame): void;
  /** Closes the link from our side; no handler is called afterwards. */
  close(code?: number, reason?: string): void;
}

export interface LinkOptions {
  hello: ClientFrameOf<'hello'>;
  handlers: LinkHandlers;
  /** Give up on a link that has not opened within this many milliseconds. */
  openTimeoutMs: number;
}

/** Close code for a link that dropped without a close frame (as browsers report it). */
export const abnormalClosure = 1006;
