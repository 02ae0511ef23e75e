/**
 * The chat controller: it drives the view state the widget renders, applies consent to storage
 * and connection, and loads the chat box and the connection engine lazily.
 */
import type { CustomData, ParleyEvents, SentMessage } from './api-types.js';
import { ConsentPolicy } from './consent.js';
import { Destinations } from './destinations.js';
import { Emitter } from '../transport/emitter.js';
import type { Engine, EngineHost, IdentityInput } from './engine.js';
import type { ChatEnvironment } from './environment.js';
import { badCall } from './errors.js';
import { watchNavigation } from './navigation.js';
import type { ResolvedOptions } from './options.js';
import { scheduleProactive, type ProactiveSchedule } from './proactive.js';
import type { Shell } from './shell.js';
import { VisitorStore } from './store.js';
import { openTabChannel, type TabChannel, type TabMessage } from './tab-channel.js';
import type { ChatController, ChatMessage, ChatViewState, ProactiveRule } from './types.js';

/**
 * One widget on the page, drawn by its shell (root, launcher, config). It stores and connects
 * nothing until `start()`, so decisions made right after creating it (a queued
 * `setDefaultImplicitConsent(false)`) apply first.
 *
 * @example
 * const shell = drawShell(options, environment);
 * const controller = new Controller(options, environment, shell);
 * shell.attach(controller);
 * queueMicrotask(() => controller.start());
 */
export class Controller implements ChatController, EngineHost {
  readonly events = new Emitter<ParleyEvents>();
  readonly destinations = new Destinations(this.events);
  readonly store: VisitorStore;
  readonly consent: ConsentPolicy;
  readonly widgetId: string;
  readonly server: string;
  destroyed = false;
  #engine: Promise<Engine> | undefined;
  #loadedEngine: Engine | undefined;
  #identityInput: IdentityInput | undefined;
  #custom: CustomData = {};
  #transcript: ChatMessage[] = [];
  #invitations: ChatMessage[] = [];
  #unreadInvitations = 0;
  #agentUnread = 0;
  #proactive: ProactiveSchedule | undefined;
  #configLoaded = false;
  #chatBox: Promise<void> | undefined;
  #unmountChatBox: (() => void) | undefined;
  readonly #tabs: TabChannel;
  readonly #cleanups: (() => void)[] = [];

  readonly #options: ResolvedOptions;
  readonly #shell: Shell;

  constructor(
    options: ResolvedOptions,
    readonly env: ChatEnvironment,
    shell: Shell,
  ) {
    this.#options = options;
    this.#shell = shell;
    this.widgetId = options.widgetId;
    this.server = options.server;
    this.store = new VisitorStore(`parley:${options.widgetId}:`, env.storage);
    // Reading what an earlier grant stored writes nothing; only a grant is ever stored.
    this.consent = new ConsentPolicy(
      options.consent !== 'required',
      this.store.stored('consent') === 'granted' ? 'granted' : undefined,
    );
    this.#tabs = openTabChannel(`parley:${options.widgetId}`, env.BroadcastChannel, (message) =>
      this.#fromOtherTab(message),
    );
  }

  /** Applies consent, restores the open state and unread count, and reconnects a returning visitor. */
  start(): void {
    if (this.destroyed) return;
    this.#applyConsent();
    this.setAgentUnread(Number(this.store.get('unread')) || 0);
    if (this.#options.container || this.#options.open || this.store.get('open') === '1') this.#setOpen(true);
    this.#cleanups.push(watchNavigation(() => this.#navigated()));
    this.#listen(document, 'visibilitychange', () => this.#loadedEngine?.viewChanged());
    // Chromium hands one tab's localStorage writes to the others a moment after their channel
    // messages, so another tab's new session may not be readable yet when its 'session' message
    // comes; the storage event says when it is.
    this.#listen(window, 'storage', (event) => {
      if (this.store.isStorageKey((event as StorageEvent).key, 'session')) this.#resumeIfReturning();
    });
    void this.#shell.config.then((config) => {
      this.#configLoaded = config !== undefined;
      this.#startProactive();
    });
    this.#resumeIfReturning();
  }

  /** The visitor hovered or focused the launcher: load the engine before the click (if consent allows). */
  preload(): void {
    if (this.consent.allowsConnection()) this.#loadEngine().catch(() => undefined);
  }

  // ChatController (what the widget UI uses)

  getState(): ChatViewState {
    return this.#shell.view.state;
  }

  subscribe(listener: (state: ChatViewState) => void): () => void {
    return this.#shell.view.subscribe(listener);
  }

  t(key: string, values?: Record<string, string | number>): string {
    return this.#shell.view.t(key, values);
  }

  open(): void {
    this.#setOpen(true);
  }

  close(): void {
    this.#setOpen(false);
  }

  grantConsent(): void {
    this.decideConsent('granted');
  }

  async send(text: string): Promise<void> {
    await this.sendMessage(text);
  }

  draftChanged(draft: string): void {
    if (this.consent.allowsConnection()) this.#loadedEngine?.draft(draft);
  }

  async requestCallMe(phone: string): Promise<void> {
    await (await this.#needEngine('requestCallMe')).callMe(phone);
    this.events.emit('callMeRequested', { phone });
  }

  async sendOfflineMessage(input: { email: string; name?: string; body: string }): Promise<void> {
    await (await this.#needEngine('sendOfflineMessage')).offlineMessage(input);
    this.events.emit('offlineMessageSubmitted', { ...input });
  }

  async submitSurvey(score: number, comment?: string): Promise<void> {
    await (await this.#needEngine('submitSurvey')).survey(score, comment);
  }

  async endChat(): Promise<void> {
    await (await this.#needEngine('endChat')).endChat();
  }

  // The JS API's operations (api.ts checks their input before they get here)

  async sendMessage(text: string): Promise<SentMessage> {
    return (await this.#needEngine('sendMessage')).send(text);
  }

  async identify(identity: IdentityInput, custom: CustomData): Promise<void> {
    this.#identityInput = identity;
    this.#custom = { ...this.#custom, ...custom };
    if (!this.#loadedEngine) return;
    await this.#loadedEngine.identify();
    if (Object.keys(custom).length > 0) await this.#loadedEngine.updateVisitor();
  }

  async setCustomData(data: CustomData): Promise<void> {
    this.#custom = { ...this.#custom, ...data };
    await this.#loadedEngine?.updateVisitor();
  }

  setDefaultImplicitConsent(implicit: boolean): void {
    this.consent.setDefault(implicit);
    this.#applyConsent();
  }

  decideConsent(decision: 'granted' | 'denied', fromOtherTab = false): void {
    if (!fromOtherTab) this.#tabs.post({ t: 'consent', v: decision });
    this.consent.decide(decision);
    this.#applyConsent();
    if (decision === 'granted') this.store.set('consent', 'granted');
  }

  toggle(): void {
    this.#setOpen(!this.getState().open);
  }

  show(): void {
    this.update({ visible: true });
  }

  hide(): void {
    this.#setOpen(false);
    this.update({ visible: false });
  }

  /**
   * Forgets the visitor: closes the connection, removes every key under the widget's prefix, resets
   * the UI, then ends the session on the server so the old token is dead even if someone copied it.
   */
  async clearAll(): Promise<void> {
    // Pending consent keeps a returning visitor's stored session out of memory: look there too.
    const session =
      this.store.getJson<{ token?: unknown }>('session') ?? this.store.getJson<{ token?: unknown }>('session', true);
    this.#tabs.post({ t: 'cleared' });
    this.#forgetVisitor();
    this.consent.decide(undefined);
    this.#applyConsent();
    if (typeof session?.token !== 'string') return;
    const response = await this.env
      .fetch(`${this.server}/v1/visitor/session?widget=${encodeURIComponent(this.widgetId)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.token}` },
        credentials: 'omit',
      })
      .catch((error: unknown) => {
        throw badCall('network', 'clearAll', `could not reach the server to end the session: ${String(error)}`);
      });
    // 401: the session had already ended, which is what clearAll wants.
    if (!response.ok && response.status !== 401) {
      throw badCall('network', 'clearAll', `the server did not end the session (HTTP ${response.status})`);
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.#proactive?.stop();
    this.#loadedEngine?.destroy();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#tabs.close();
    this.#unmountChatBox?.();
    this.#shell.destroy();
    this.events.clear();
  }

  // EngineHost (what the connection engine uses)

  update(patch: Partial<ChatViewState>): void {
    const before = this.#shell.view.update(patch);
    const after = this.getState();
    if (before.open !== after.open) this.events.emit(after.open ? 'open' : 'close', {});
    if (before.unread !== after.unread) {
      const count = after.unread;
      if (count > 0) this.store.set('unread', String(count));
      else this.store.remove('unread');
      this.events.emit('unreadCountChanged', { count });
    }
  }

  setTranscript(messages: ChatMessage[]): void {
    this.#transcript = messages;
    this.update({ messages: [...this.#invitations, ...messages] });
  }

  setAgentUnread(count: number): void {
    this.#agentUnread = count;
    this.update({ unread: count + this.#unreadInvitations });
  }

  identity(): IdentityInput | undefined {
    return this.#identityInput;
  }

  customData(): CustomData {
    return this.#custom;
  }

  postToTabs(message: TabMessage): void {
    // A new session concerns tabs that share storage; read and reported markers concern the tabs of
    // one session, which stay connected together even after a denial removed the stored copy.
    if (message.t !== 'session' || this.consent.allowsStorage()) this.#tabs.post(message);
  }

  // Internals

  #setOpen(open: boolean): void {
    if (this.getState().open === open || this.destroyed) return;
    if (open) {
      this.#showChatBox();
      this.#unreadInvitations = 0;
    }
    // An inline chat is always open; a floating one reopens on the next page as the visitor left it.
    if (open && !this.#options.container) this.store.set('open', '1');
    else this.store.remove('open');
    this.update({ open, unread: this.#agentUnread + this.#unreadInvitations });
    this.#loadedEngine?.viewChanged();
  }

  /** Loads and mounts the chat box once; a failed load is tried again on the next open. */
  #showChatBox(): void {
    if (this.#chatBox) return;
    this.#chatBox = this.env.ui.loadChatBox().then(
      (mountChatBox) => {
        if (!this.destroyed) this.#unmountChatBox = mountChatBox(this.#shell.widget.root, this);
      },
      (error: unknown) => {
        this.#chatBox = undefined;
        console.warn('[parley] could not load the chat box', error);
      },
    );
  }

  #loadEngine(): Promise<Engine> {
    this.#engine ??= import('./session.js').then(
      (module) => {
        const engine = module.createEngine(this);
        this.#loadedEngine = engine;
        if (this.destroyed) engine.destroy();
        return engine;
      },
      (error: unknown) => {
        this.#engine = undefined;
        throw error;
      },
    );
    return this.#engine;
  }

  /** The engine for an action that needs a connection, or the reason there is none. */
  async #needEngine(method: string): Promise<Engine> {
    if (this.destroyed) throw badCall('destroyed', method, 'the chat was destroyed');
    if (!this.consent.allowsConnection()) {
      throw badCall(
        'consent_required',
        method,
        'consent is required first: consent("grant") or the "Start chat" button',
      );
    }
    return this.#loadEngine().catch((error: unknown) => {
      throw badCall('network', method, `could not load the chat: ${String(error)}`);
    });
  }

  #resumeIfReturning(): void {
    if (this.destroyed || !this.consent.allowsConnection() || this.store.get('session') === undefined) return;
    this.#loadEngine().then(
      (engine) => engine.resume(),
      (error: unknown) => console.warn('[parley] could not load the chat', error),
    );
  }

  /** Listens until the chat is destroyed. */
  #listen(target: EventTarget, type: string, listener: (event: Event) => void): void {
    target.addEventListener(type, listener);
    this.#cleanups.push(() => target.removeEventListener(type, listener));
  }

  /** Puts storage, the proactive rules and the connection in line with the consent state. */
  #applyConsent(): void {
    this.store.setPersistent(this.consent.allowsStorage());
    this.update({ consent: this.consent.state() });
    this.#loadedEngine?.consentChanged();
    if (this.consent.allowsConnection()) {
      this.#startProactive();
      if (!this.#loadedEngine) this.#resumeIfReturning();
    } else {
      this.#proactive?.stop();
      this.#proactive = undefined;
    }
  }

  #startProactive(): void {
    if (this.#proactive || !this.#configLoaded || !this.consent.allowsConnection() || this.destroyed) return;
    this.#proactive = scheduleProactive(this.getState().settings.proactive ?? [], (rule) => this.#invite(rule));
  }

  /** Shows a proactive message, unless the visitor is already in a conversation. */
  #invite(rule: ProactiveRule): void {
    const status = this.getState().conversation?.status;
    if (status === 'queued' || status === 'active') return;
    const invitation: ChatMessage = {
      id: `proactive-${this.#invitations.length + 1}`,
      author: { role: 'agent' },
      body: rule.message,
      at: Date.now(),
      proactive: true,
    };
    this.#invitations = [...this.#invitations, invitation];
    if (!this.getState().open) this.#unreadInvitations += 1;
    this.update({ messages: [...this.#invitations, ...this.#transcript] });
    this.setAgentUnread(this.#agentUnread);
  }

  #navigated(): void {
    this.#proactive?.recheck();
    void this.#loadedEngine?.updateVisitor().catch(() => undefined);
  }

  #fromOtherTab(message: TabMessage): void {
    if (message.t === 'consent') return this.decideConsent(message.v, true);
    if (message.t === 'read' || message.t === 'emitted') return this.#loadedEngine?.fromOtherTab(message);
    // The rest concerns the stored session, which a tab without storage does not share.
    if (!this.consent.allowsStorage()) return;
    if (message.t === 'cleared') this.#forgetVisitor();
    // Another tab started the session: this tab shows the same conversation.
    else this.#resumeIfReturning();
  }

  /** Drops the conversation, the stored keys and the UI state of this visitor. */
  #forgetVisitor(): void {
    this.#loadedEngine?.reset();
    this.#invitations = [];
    this.#transcript = [];
    this.#unreadInvitations = 0;
    this.#agentUnread = 0;
    if (!this.#options.container) this.#setOpen(false);
    this.update({
      messages: [],
      conversation: undefined,
      unread: 0,
      agentTyping: false,
      connection: 'idle',
    });
    // Last, so nothing written while resetting survives (closing and zero unread only remove keys).
    this.store.clear();
  }
}
