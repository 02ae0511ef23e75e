/**
 * The public, typed surface of the JS API: options, methods, events and errors. The loaded object
 * (`createChat(...)`) and the queued form (`Parley('method', ...args)`) share these types.
 */
import type { ConsentState } from './types.js';

export type { ConsentState } from './types.js';

export interface ChatOptions {
  /** The widget ID (a UUID) from the server. */
  widgetId: string;
  /** The server's origin, e.g. `https://chat.example.com` (a path prefix is kept). */
  server: string;
  /**
   * `implicit` (default): the widget may store state and connect once the visitor chats.
   * `required`: nothing is stored and nothing connects until `consent('grant')` or the visitor's
   * "Start chat" click.
   */
  consent?: 'implicit' | 'required';
  /** Inline mode: render the chat box inside this element instead of a launcher on the page. */
  container?: HTMLElement;
  /** A locale such as `de`; default: the page's `<html lang>`, then the browser's language. */
  locale?: string;
  /** The page's CSP nonce, given to the fallback `<style>` element on browsers without constructable stylesheets. */
  nonce?: string;
  /** Start with the chat box open. */
  open?: boolean;
}

/** Who the visitor is, as the site knows it; other keys are kept as custom data. */
export interface VisitorIdentity {
  email?: string;
  name?: string;
  userId?: string;
  [custom: string]: string | number | boolean | null | undefined;
}

/** Flat data attached to the visitor and shown to agents (at most 50 keys). */
export type CustomData = Record<string, string | number | boolean | null>;

/** A message the visitor sent through `sendMessage`, once the server stored it. */
export interface SentMessage {
  id: string;
  conversationId: string;
}

/**
 * The properties of the Live Chat events (Segment's Live Chat spec). A property with no value yet
 * (no agent assigned, say) is left out, never invented.
 */
export interface LiveChatProperties {
  agent_id?: string;
  agent_name?: string;
  agent_username?: string;
  conversation_id: string;
  /** Whole seconds since the conversation started; 0 at the start. */
  conversation_duration?: number;
  message_id?: string;
  /** Message events only. */
  message_body?: string;
}

export interface AgentSummary {
  id: string;
  name: string;
  username?: string;
}

/**
 * Every event and its payload. The plain events (`open` … `unreadCountChanged`) describe what this
 * page shows: each fires once per occurrence in every tab that shows it live. The four Live Chat
 * events are analytics: each fires once per occurrence for the whole browser, in one tab.
 */
export interface ParleyEvents {
  open: Record<string, never>;
  close: Record<string, never>;
  chatStarted: { conversationId: string };
  messageSent: { conversationId: string; messageId: string; body: string };
  messageReceived: { conversationId: string; messageId: string; body: string; agent?: AgentSummary };
  chatEnded: { conversationId: string; by: 'visitor' | 'agent' | 'system' };
  callMeRequested: { phone: string };
  offlineMessageSubmitted: { email: string; name?: string; body: string };
  surveySubmitted: { conversationId: string; score: number; comment?: string };
  unreadCountChanged: { count: number };
  'Live Chat Conversation Started': LiveChatProperties;
  'Live Chat Conversation Ended': LiveChatProperties;
  'Live Chat Message Sent': LiveChatProperties;
  'Live Chat Message Received': LiveChatProperties;
}

export type ParleyEventName = keyof ParleyEvents;

/** The four Live Chat events of Segment's spec. */
export type LiveChatEventName =
  | 'Live Chat Conversation Started'
  | 'Live Chat Conversation Ended'
  | 'Live Chat Message Sent'
  | 'Live Chat Message Received';

/**
 * An analytics destination: a plain object, usually from a factory (`dataLayerDestination()`,
 * `callbackDestination(fn)`, or `parleyDestination` of `parley/segment`). What it returns is
 * ignored, except that a rejected promise is logged like a throw.
 */
export interface Destination {
  /** Names the destination in logs; each destination of a chat has its own name. */
  name: string;
  /** Gets each Live Chat event once per occurrence, in order, with a copy of its properties. */
  track(event: LiveChatEventName, properties: LiveChatProperties): unknown;
  /**
   * Gets the traits of each valid `identify` call (and the latest ones when it is registered
   * later): email, name, userId and custom keys as the page passed them, never the identity token.
   */
  identify?(traits: VisitorIdentity): unknown;
}

/** A function that takes the Live Chat events: the short form of `callbackDestination(fn)`. */
export type DestinationCallback = (event: LiveChatEventName, properties: LiveChatProperties) => unknown;
export type ParleyListener<E extends ParleyEventName> = (payload: ParleyEvents[E]) => void;

/**
 * The loaded API. Methods that take input return a promise that rejects with a `ParleyApiError`
 * (and warns on the console) when the input is wrong; none of them ever throws.
 */
export interface ParleyApi {
  /** Tells agents who the visitor is; `identityToken` (a JWT or HMAC from your backend) verifies it. */
  identify(identity: VisitorIdentity, identityToken?: string): Promise<void>;
  /** `false` makes consent required when no decision was made (call it before the widget loads). */
  setDefaultImplicitConsent(implicit: boolean): Promise<void>;
  /** The site's consent banner decides: `grant` allows storage and connection, `deny` keeps the chat memory-only. */
  consent(decision: 'grant' | 'deny'): Promise<void>;
  getConsent(): ConsentState;
  /** Removes every trace of the visitor from the browser and ends the session on the server. */
  clearAll(): Promise<void>;
  open(): void;
  close(): void;
  toggle(): void;
  /** Shows the launcher. */
  show(): void;
  /** Hides the launcher and the chat box. */
  hide(): void;
  getUnreadCount(): number;
  /** Sends a message as the visitor; resolves once the server stored it. */
  sendMessage(text: string): Promise<SentMessage>;
  setCustomData(data: CustomData): Promise<void>;
  on<E extends ParleyEventName>(event: E, listener: ParleyListener<E>): Promise<void>;
  /**
   * Sends the Live Chat events (and the visitor's identity) to a destination: an object
   * `{ name, track, identify? }`, `'dataLayer'` (Google Tag Manager) or a function (a callback).
   */
  use(destination: Destination | 'dataLayer' | DestinationCallback): Promise<void>;
  off<E extends ParleyEventName>(event: E, listener: ParleyListener<E>): Promise<void>;
  /** Removes the widget from the page and closes its connection; stored state stays. */
  destroy(): void;
}

export type ParleyMethod = keyof ParleyApi;

/** The queued form: `Parley('open')`, `await Parley('sendMessage', 'Hi')`; always a promise. */
export type ParleyFunction = <M extends ParleyMethod>(
  method: M,
  ...args: Parameters<ParleyApi[M]>
) => Promise<Awaited<ReturnType<ParleyApi[M]>>>;

/** Codes of `ParleyApiError`; server refusals keep the protocol's code (e.g. `rate_limited`). */
export type ParleyApiErrorCode =
  | 'unknown_method'
  | 'invalid_argument'
  | 'invalid_email'
  | 'consent_required'
  | 'not_ready'
  | 'destroyed'
  | 'network'
  | (string & {});
