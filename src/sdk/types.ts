/**
 * The contract between the SDK (state, connection, consent, events) and the widget (Preact UI).
 * The widget renders a ChatViewState and calls ChatActions; it never touches the transport.
 */
import type { AgentInfo, ConversationSummary } from '../protocol/index.js';

/** `implicit`: consent assumed (default). `pending`: required and not given yet. */
export type ConsentState = 'implicit' | 'pending' | 'granted' | 'denied';

export interface ProactiveRule {
  /** Shown after this many milliseconds on a matching page. */
  delayMs?: number;
  /** A path prefix the page must match, e.g. "/pricing". */
  path?: string;
  message: string;
}

/** Public widget settings from `GET /v1/widgets/:id/config` ("Design Studio"). */
export interface WidgetSettings {
  theme?: { color?: string; position?: 'right' | 'left' };
  /** Overrides of locale strings, by key. */
  texts?: Record<string, string>;
  proactive?: ProactiveRule[];
}

export interface ChatMessage {
  /** The server id once stored; the client id while pending. */
  id: string;
  clientId?: string;
  conversationId?: string;
  seq?: number;
  author: { role: 'visitor' | 'agent' | 'system'; name?: string };
  body: string;
  at: number;
  /** Sent by this visitor and not acknowledged yet. */
  pending?: boolean;
  /** A proactive invitation shown before any conversation. */
  proactive?: boolean;
}

export interface ChatViewState {
  /** The chat box is open. */
  open: boolean;
  /** The launcher is shown (`show()` / `hide()`). */
  visible: boolean;
  /** At least one agent is online: "Chat with us", else "Leave a message". */
  online: boolean;
  consent: ConsentState;
  connection: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
  conversation?: {
    id: string;
    status: ConversationSummary['status'];
    agent?: AgentInfo;
    queuePosition?: number;
    surveySubmitted: boolean;
  };
  messages: ChatMessage[];
  agentTyping: boolean;
  unread: number;
  settings: WidgetSettings;
  /** The locale in use, e.g. "en" or "de". */
  locale: string;
  /** Right-to-left page or locale. */
  rtl: boolean;
}

export interface ChatActions {
  open(): void;
  close(): void;
  /** The visitor clicked "Start chat" in the box: that click is the consent. */
  grantConsent(): void;
  send(text: string): Promise<void>;
  /** The visitor's draft changed (throttled and sent for the sneak peek only while allowed). */
  draftChanged(draft: string): void;
  requestCallMe(phone: string): Promise<void>;
  sendOfflineMessage(input: { email: string; name?: string; body: string }): Promise<void>;
  submitSurvey(score: number, comment?: string): Promise<void>;
  endChat(): Promise<void>;
}

/** What the widget gets: the live state, a way to follow it, the actions and the strings. */
export interface ChatController extends ChatActions {
  getState(): ChatViewState;
  subscribe(listener: (state: ChatViewState) => void): () => void;
  /** A locale string with `{name}` placeholders filled. */
  t(key: string, values?: Record<string, string | number>): string;
}
