/**
 * The contract between the controller (in the entry chunk) and the connection engine (a lazy
 * chunk with the transport and the schemas): what each may ask of the other.
 */
import type { CustomData, ParleyEvents, SentMessage } from './api-types.js';
import type { ConsentPolicy } from './consent.js';
import type { Emitter } from '../transport/emitter.js';
import type { ChatEnvironment } from './environment.js';
import type { VisitorStore } from './store.js';
import type { TabMessage } from './tab-channel.js';
import type { ChatMessage, ChatViewState } from './types.js';

export interface IdentityInput {
  email?: string;
  name?: string;
  userId?: string;
  identityToken?: string;
}

/** What the engine may use of the controller. */
export interface EngineHost {
  readonly widgetId: string;
  readonly server: string;
  readonly env: ChatEnvironment;
  readonly store: VisitorStore;
  readonly consent: ConsentPolicy;
  readonly events: Emitter<ParleyEvents>;
  getState(): ChatViewState;
  update(patch: Partial<ChatViewState>): void;
  /** The conversation's messages; the controller adds its proactive ones in front. */
  setTranscript(messages: ChatMessage[]): void;
  /** Unread agent messages across the tabs. */
  setAgentUnread(count: number): void;
  identity(): IdentityInput | undefined;
  customData(): CustomData;
  /** Tells the other tabs (when consent lets them share state). */
  postToTabs(message: TabMessage): void;
}

/** What the controller may ask of the engine. */
export interface Engine {
  /** Consent changed: share state with other tabs or not, connect or drop the connection. */
  consentChanged(): void;
  /** Connects with the stored session, if there is one (returning visitor, other tab). */
  resume(): void;
  send(text: string): Promise<SentMessage>;
  /** The visitor's draft, streamed throttled for the agent's sneak peek; never stored. */
  draft(text: string): void;
  callMe(phone: string): Promise<void>;
  offlineMessage(input: { email: string; name?: string; body: string }): Promise<void>;
  survey(score: number, comment?: string): Promise<void>;
  endChat(): Promise<void>;
  /** Sends the identity again (it changed). */
  identify(): Promise<void>;
  /** Sends page, language, time zone and custom data again (one of them changed). */
  updateVisitor(): Promise<void>;
  /** The chat box opened or closed, or the page was shown or hidden. */
  viewChanged(): void;
  fromOtherTab(message: TabMessage): void;
  /** Forgets the conversation and closes the connection (clearAll, or the session ended elsewhere). */
  reset(): void;
  destroy(): void;
}
