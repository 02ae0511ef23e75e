/**
 * The connection engine, loaded lazily (with the transport and the schemas) once the visitor shows
 * interest or a stored session exists: the visitor session, the conversation, the events, the
 * unread count and the coordination of several tabs.
 */
import { closeCodes, type SequencedFrame } from '../protocol/index.js';
import {
  createVisitorClient,
  requestLeadership,
  type ParleyClient,
  type RequestFrame,
  type Welcome,
} from '../transport/index.js';
import { randomId } from '../transport/ids.js';
import type { SentMessage } from './api-types.js';
import type { Engine, EngineHost } from './engine.js';
import { asApiError, badCall } from './errors.js';
import { applyFrame, newFacts, type ConversationFacts, type Occurrence } from './occurrences.js';
import { playTone } from './sound.js';
import type { TabMessage } from './tab-channel.js';
import { throttle } from './throttle.js';
import { Transcript } from './transcript.js';

/** Sneak-peek drafts go to the agent at most this often. */
const draftIntervalMs = 500;
/** Per-conversation markers kept in storage; older conversations drop out. */
const maxMarkers = 20;

type Markers = Record<string, number>;

/**
 * Creates the engine for a controller.
 *
 * @example
 * const { createEngine } = await import('./session.js');
 * const engine = createEngine(controller);
 * engine.resume();
 */
export function createEngine(host: EngineHost): Engine {
  return new Session(host);
}

/** A page URL the protocol accepts (http(s), at most 2048 characters), or nothing. */
function pageUrl(url: string): string | undefined {
  return /^https?:\/\//i.test(url) && url.length <= 2048 ? url : undefined;
}

class Session implements Engine {
  #client: ParleyClient | undefined;
  #token: string | undefined;
  #starting: Promise<ParleyClient> | undefined;
  readonly #facts = new Map<string, ConversationFacts>();
  readonly #transcript = new Transcript();
  #current: string | undefined;
  /**
   * This page's resume point, per conversation: frames up to it were seen before this page (by
   * an earlier page or another tab) and only fill the history; later frames are live and count.
   */
  readonly #historyUpTo = new Map<string, number>();
  /** The token whose first welcome set `historyUpTo`. */
  #resumedToken: string | undefined;
  /** The token whose session was told the visitor's identity, page and custom data. */
  #toldFor: string | undefined;
  #leading = false;
  #resign: (() => void) | undefined;
  /** Live Chat events this tab saw while another tab was leading, kept until that tab reports them. */
  #unclaimed: { conversationId: string; seq: number; events: Occurrence[] }[] = [];
  readonly #emittedElsewhere = new Map<string, number>();
  #read: Markers;
  readonly #drafts = throttle(draftIntervalMs, (draft: string) =>
    this.#client?.typing({ typing: draft.trim() !== '', ...(draft.trim() ? { draft: draft.slice(0, 4000) } : {}) }),
  );
  #destroyed = false;

  readonly #host: EngineHost;

  constructor(host: EngineHost) {
    this.#host = host;
    this.#read = host.store.getJson<Markers>('read') ?? {};
  }

  // Engine

  consentChanged(): void {
    if (!this.#host.consent.allowsConnection()) return this.#disconnect();
    this.resume();
  }

  resume(): void {
    if (this.#destroyed || !this.#host.consent.allowsConnection()) return;
    const token = this.#storedToken();
    if (token && (token !== this.#token || !this.#client)) this.#connect(token);
  }

  async send(text: string): Promise<SentMessage> {
    const clientId = randomId('m');
    this.#transcript.addPending(clientId, text);
    this.#render();
    try {
      const client = await this.#session('sendMessage');
      const ack = await client.send({ body: text, clientId });
      this.#transcript.acknowledge(ack);
      this.#drafts.cancel();
      client.typing({ typing: false });
      return { id: ack.id, conversationId: ack.conversationId };
    } catch (error) {
      this.#transcript.dropPending(clientId);
      throw asApiError('sendMessage', error);
    } finally {
      this.#render();
    }
  }

  draft(text: string): void {
    if (this.#client?.state === 'open') this.#drafts.push(text);
  }

  callMe(phone: string): Promise<void> {
    return this.#request('requestCallMe', { type: 'callme.request', phone, ...this.#page() });
  }

  offlineMessage(input: { email: string; name?: string; body: string }): Promise<void> {
    const { email, name, body } = input;
    return this.#request('sendOfflineMessage', {
      type: 'offline.message',
      email,
      body,
      ...(name ? { name } : {}),
      ...this.#page(),
    });
  }

  survey(score: number, comment?: string): Promise<void> {
    const conversationId = this.#current;
    if (!conversationId)
      return Promise.reject(badCall('invalid_state', 'submitSurvey', 'there is no conversation to rate'));
    return this.#request('submitSurvey', {
      type: 'survey.submit',
      conversationId,
      score,
      ...(comment ? { comment } : {}),
    });
  }

  async endChat(): Promise<void> {
    const facts = this.#current === undefined ? undefined : this.#facts.get(this.#current);
    if (!facts || facts.status === 'ended') return;
    await this.#request('endChat', { type: 'conversation.end', conversationId: facts.id });
  }

  async identify(): Promise<void> {
    const identity = this.#host.identity();
    if (!identity) return;
    await this.#tell('identify', { type: 'visitor.identify', ...identity });
  }

  async updateVisitor(): Promise<void> {
    const custom = this.#host.customData();
    const referrer = pageUrl(document.referrer);
    // Some embedded browsers report neither; the server takes what there is.
    const language = navigator.language as string | undefined;
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
    await this.#tell('setCustomData', {
      type: 'visitor.update',
      ...this.#page(),
      ...(referrer ? { referrer } : {}),
      ...(language ? { language: language.slice(0, 35) } : {}),
      ...(timezone ? { timezone: timezone.slice(0, 64) } : {}),
      ...(Object.keys(custom).length > 0 ? { custom } : {}),
    });
  }

  viewChanged(): void {
    this.#markRead();
  }

  fromOtherTab(message: TabMessage): void {
    if (message.t === 'read') {
      this.#read[message.c] = Math.max(this.#read[message.c] ?? 0, message.s);
      this.#host.setAgentUnread(this.#countUnread());
    } else if (message.t === 'emitted') {
      this.#emittedElsewhere.set(message.c, Math.max(this.#emittedElsewhere.get(message.c) ?? 0, message.s));
      this.#unclaimed = this.#unclaimed.filter((entry) => entry.conversationId !== message.c || entry.seq > message.s);
    }
  }

  reset(): void {
    this.#closeClient();
    this.#leaveTabs();
    this.#token = undefined;
    this.#resumedToken = undefined;
    this.#current = undefined;
    this.#facts.clear();
    this.#transcript.clear();
    this.#historyUpTo.clear();
    this.#emittedElsewhere.clear();
    this.#unclaimed = [];
    this.#read = {};
    this.#render();
    this.#host.update({ connection: 'idle', agentTyping: false });
  }

  destroy(): void {
    this.#destroyed = true;
    this.#closeClient();
    this.#leaveTabs();
  }

  // The session and its connection

  #storedSession(): { token: string; visitorId?: string } | undefined {
    const session = this.#host.store.getJson<{ token?: unknown; visitorId?: unknown }>('session');
    if (typeof session?.token !== 'string') return undefined;
    return { token: session.token, ...(typeof session.visitorId === 'string' ? { visitorId: session.visitorId } : {}) };
  }

  #storedToken(): string | undefined {
    return this.#storedSession()?.token;
  }

  /** The connected client, creating the visitor session first if there is none (after consent only). */
  #session(method: string): Promise<ParleyClient> {
    if (this.#client && this.#client.state !== 'closed') return Promise.resolve(this.#client);
    this.#starting ??= this.#startSession(method).finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #startSession(method: string): Promise<ParleyClient> {
    if (this.#destroyed) throw badCall('destroyed', method, 'the chat was destroyed');
    const stored = this.#storedToken();
    if (stored) return this.#connect(stored);
    const { server, widgetId, env } = this.#host;
    const response = await env.fetch(`${server}/v1/widgets/${encodeURIComponent(widgetId)}/sessions`, {
      method: 'POST',
      credentials: 'omit',
    });
    const body = (await response.json().catch(() => ({}))) as {
      token?: unknown;
      visitorId?: unknown;
      error?: { code?: string; message?: string };
    };
    if (response.status !== 201 || typeof body.token !== 'string') {
      const { code = 'network', message = `HTTP ${response.status}` } = body.error ?? {};
      throw badCall(code, method, `could not start a chat session: ${message}`);
    }
    // Consent may have been withdrawn while the request ran: then the token is not kept.
    if (this.#destroyed || !this.#host.consent.allowsConnection()) {
      throw badCall('consent_required', method, 'consent was withdrawn');
    }
    this.#host.store.setJson('session', { token: body.token, visitorId: body.visitorId });
    this.#host.postToTabs({ t: 'session' });
    return this.#connect(body.token);
  }

  #connect(token: string): ParleyClient {
    this.#closeClient();
    if (this.#token !== undefined && this.#token !== token) this.reset();
    this.#token = token;
    const { env, server, widgetId } = this.#host;
    const client = createVisitorClient({
      url: server,
      token,
      widgetId,
      fetch: env.fetch,
      ...(env.WebSocket ? { WebSocket: env.WebSocket } : {}),
    });
    this.#client = client;
    const mine = () => this.#client === client;
    client.on('state', ({ state }) => mine() && this.#host.update({ connection: state }));
    client.on('welcome', (welcome) => mine() && this.#welcomed(welcome));
    client.on('sequenced', (frame) => mine() && this.#accept(frame));
    client.on('availability', ({ online }) => mine() && this.#host.update({ online }));
    client.on('typing', (frame) => {
      if (mine() && frame.role === 'agent' && frame.conversationId === this.#current) {
        this.#host.update({ agentTyping: frame.typing });
      }
    });
    client.on('queue.position', (frame) => {
      const facts = this.#facts.get(frame.conversationId);
      if (!mine() || !facts || facts.status !== 'queued') return;
      facts.queuePosition = frame.position;
      this.#render();
    });
    client.on('closed', (info) => {
      if (mine() && info.final) this.#closedForGood(info.code, info.reason);
    });
    this.#joinTabs();
    client.connect().catch(() => undefined); // failures arrive as 'closed'
    if (this.#toldFor !== token) {
      // Queued now, ahead of anything sent on this client, so the chat a first message starts
      // already carries the visitor's name and page for the agents.
      this.#toldFor = token;
      const warn = (error: unknown) => console.warn('[parley] could not tell the server about the visitor', error);
      this.updateVisitor().catch(warn);
      this.identify().catch(warn);
    }
    return client;
  }

  #welcomed(welcome: Welcome): void {
    const firstForToken = this.#resumedToken !== this.#token;
    this.#resumedToken = this.#token;
    const emitted = this.#host.store.getJson<Markers>('emitted') ?? {};
    for (const summary of welcome.conversations) {
      const facts = this.#factsOf(summary.id);
      facts.startedAt ??= summary.startedAt;
      if (summary.agent) facts.agent ??= summary.agent;
      if (firstForToken && !this.#historyUpTo.has(summary.id)) {
        // What an earlier page or another tab already reported; else everything stored so far.
        this.#historyUpTo.set(summary.id, emitted[summary.id] ?? summary.lastSeq);
      }
    }
    const latest = welcome.conversations[0];
    if (latest && this.#current === undefined) this.#current = latest.id;
    this.#render();
  }

  /** The session is over: cleared (here or in another tab), ended on the server, or its token refused. */
  #closedForGood(code: number, reason: string): void {
    if (code === closeCodes.session_ended || code === closeCodes.unauthorized) {
      if (this.#storedToken() === this.#token) this.#host.store.remove('session');
      this.reset();
      return;
    }
    console.warn(`[parley] the chat connection closed for good: ${reason} (${code})`);
  }

  #closeClient(): void {
    const client = this.#client;
    // Cleared first, so the client's own 'closed' event is not taken for the server's verdict.
    this.#client = undefined;
    this.#drafts.cancel();
    client?.close();
  }

  /** Consent is pending again: no connection, but the page keeps what it shows. */
  #disconnect(): void {
    this.#closeClient();
    this.#leaveTabs();
    this.#host.update({ connection: 'idle', agentTyping: false });
  }

  async #request(method: string, frame: RequestFrame): Promise<void> {
    try {
      await (await this.#session(method)).request(frame);
    } catch (error) {
      throw asApiError(method, error);
    }
  }

  /** Sends a request on the live session only: telling the server about the visitor never starts one. */
  async #tell(method: string, frame: RequestFrame): Promise<void> {
    const client = this.#client;
    if (!client || client.state === 'closed') return;
    try {
      await client.request(frame);
    } catch (error) {
      throw asApiError(method, error);
    }
  }

  #page(): { page?: string } {
    const page = pageUrl(location.href);
    return page ? { page } : {};
  }

  // The conversation's frames

  #factsOf(conversationId: string): ConversationFacts {
    let facts = this.#facts.get(conversationId);
    if (!facts) this.#facts.set(conversationId, (facts = newFacts(conversationId)));
    return facts;
  }

  #accept(frame: SequencedFrame): void {
    const conversationId = frame.conversationId;
    const { page, analytics } = applyFrame(this.#factsOf(conversationId), frame);
    if (frame.type === 'message') this.#transcript.accept(frame);
    if (frame.type === 'conversation.started' || this.#current === undefined) this.#current = conversationId;
    const live = frame.seq > (this.#historyUpTo.get(conversationId) ?? 0);
    const fromAgent = frame.type === 'message' && frame.author.role === 'agent';
    if (fromAgent && conversationId === this.#current) this.#host.update({ agentTyping: false });
    this.#render();
    if (!live) return;
    if (fromAgent && this.#leads() && !this.#seen()) (this.#host.env.notify ?? playTone)();
    for (const [name, payload] of page) this.#host.events.emit(name, payload);
    this.#report(conversationId, frame.seq, analytics);
  }

  /**
   * The Live Chat events of a live frame go out from the leading tab only, so two tabs showing the
   * same conversation count it once. Another tab keeps them until the leader reports them, and
   * emits them itself if it takes over first (the leader's tab closed meanwhile).
   */
  #report(conversationId: string, seq: number, events: Occurrence[]): void {
    if (!this.#leads()) {
      if (seq > (this.#emittedElsewhere.get(conversationId) ?? 0))
        this.#unclaimed.push({ conversationId, seq, events });
      return;
    }
    if (seq > (this.#emittedElsewhere.get(conversationId) ?? 0)) {
      for (const [name, payload] of events) this.#host.events.emit(name, payload);
    }
    const emitted = this.#host.store.getJson<Markers>('emitted') ?? {};
    this.#host.store.setJson('emitted', withMarker(emitted, conversationId, seq));
    this.#host.postToTabs({ t: 'emitted', c: conversationId, s: seq });
  }

  /** True when this tab speaks for all tabs of its session (it holds the lock). */
  #leads(): boolean {
    return this.#leading;
  }

  /**
   * Joins the election among the tabs connected with the same session. The lock is named after
   * the visitor, not the widget: after a denial a new tab starts its own session and must not
   * take the lead of another session's tabs.
   */
  #joinTabs(): void {
    if (this.#resign || !this.#client) return;
    this.#leading = false;
    const visitor = this.#storedSession()?.visitorId ?? 'visitor';
    this.#resign = requestLeadership(this.#host.env.locks, `parley:${this.#host.widgetId}:leader:${visitor}`, () => {
      this.#leading = true;
      const waiting = this.#unclaimed;
      this.#unclaimed = [];
      for (const entry of waiting) this.#report(entry.conversationId, entry.seq, entry.events);
    });
  }

  /** Stops taking part in the election: the connection is gone, so this tab reports nothing more. */
  #leaveTabs(): void {
    this.#resign?.();
    this.#resign = undefined;
    this.#leading = false;
    this.#unclaimed = [];
  }

  // What the page shows

  /** The visitor is looking at the conversation: the box is open and the page visible. */
  #seen(): boolean {
    return this.#host.getState().open && document.visibilityState !== 'hidden';
  }

  /** Marks everything read while the visitor looks, in this tab and (through storage and the channel) the others. */
  #markRead(): void {
    if (this.#seen()) {
      let changed = false;
      for (const facts of this.#facts.values()) {
        if (facts.lastSeq > (this.#read[facts.id] ?? 0)) {
          this.#read = withMarker(this.#read, facts.id, facts.lastSeq);
          this.#host.postToTabs({ t: 'read', c: facts.id, s: facts.lastSeq });
          changed = true;
        }
      }
      if (changed) this.#host.store.setJson('read', this.#read);
    }
    this.#host.setAgentUnread(this.#countUnread());
  }

  #countUnread(): number {
    let count = 0;
    for (const message of this.#transcript.messages()) {
      const read = message.conversationId === undefined ? Infinity : (this.#read[message.conversationId] ?? 0);
      if (message.author.role === 'agent' && (message.seq ?? 0) > read) count += 1;
    }
    return count;
  }

  #render(): void {
    this.#host.setTranscript(this.#transcript.messages());
    const facts = this.#current === undefined ? undefined : this.#facts.get(this.#current);
    this.#host.update({
      conversation: facts && {
        id: facts.id,
        status: facts.status,
        surveySubmitted: facts.surveySubmitted,
        ...(facts.agent ? { agent: facts.agent } : {}),
        ...(facts.queuePosition === undefined ? {} : { queuePosition: facts.queuePosition }),
      },
    });
    this.#markRead();
  }
}

/** A marker map with `seq` for the conversation, keeping the most recent `maxMarkers` conversations. */
function withMarker(markers: Markers, conversationId: string, seq: number): Markers {
  const { [conversationId]: previous, ...others } = markers;
  const next = { ...others, [conversationId]: Math.max(previous ?? 0, seq) };
  const keys = Object.keys(next);
  return keys.length > maxMarkers ? Object.fromEntries(keys.slice(-maxMarkers).map((key) => [key, next[key]!])) : next;
}
