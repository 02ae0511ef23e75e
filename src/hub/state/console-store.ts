/**
 * The console's state for one login: signals driven by the transport client (conversations and
 * their messages, unread counts, queue, presence, own status, inboxes, drafts and the visitor's
 * sneak peek, connection state) and the agent's actions. The Hub builds a new store for every
 * login, so nothing of one session can show in the next.
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type {
  AgentInfo,
  CallMeRequest,
  ClientFrameOf,
  OfflineRequest,
  QueueItem,
  SequencedFrame,
  ServerFrameOf,
} from '../../protocol/index.js';
import type { ClientState, ParleyClient, Welcome } from '../../transport/index.js';
import { attempt, failure, type ActionResult } from './action-result.js';
import { applyFrame, emptyChat, isMine, visitorLabel, type Chat } from './chat.js';
import { createInboxes } from './inboxes.js';
import { randomId } from '../../transport/index.js';
import {
  readTranscript,
  searchTranscripts,
  type SearchResult,
  type TranscriptResult,
  type TranscriptSearch,
} from './transcripts.js';
import { createTypingSender } from './typing-sender.js';
import { createVisitorLookups, type VisitorLookup } from './visitor-lookups.js';

export type { SearchResult, TranscriptResult, TranscriptSearch, VisitorLookup };

export type PresenceAgent = ServerFrameOf<'presence'>['agents'][number];
export type AgentStatus = 'online' | 'paused';

/** What the main area shows. */
export type ConsoleView =
  { kind: 'home' } | { kind: 'chat'; id: string } | { kind: 'callme' } | { kind: 'offline' } | { kind: 'transcripts' };

/** A reply the agent sent that the conversation's log does not hold yet. */
export interface Outgoing {
  clientId: string;
  conversationId: string;
  body: string;
  /** Why it failed; absent while it is on its way (or waiting for the connection). */
  failed?: string;
}

/** Why the session stopped for good. */
export interface SessionEnd {
  reason: 'logout' | 'expired' | 'unauthorized' | 'origin' | 'version' | 'closed';
  code: number;
}

/** Something that deserves a desktop notification: a new chat, or a visitor's message. */
export interface Attention {
  kind: 'chat' | 'message';
  /** The same for every tab that sees the same event. */
  key: string;
  conversationId: string;
  title: string;
  body: string;
}

export interface ConsoleStoreOptions {
  client: ParleyClient;
  self: AgentInfo;
  /** Whether the Hub has focus at start; the UI keeps it current with `setFocused`. */
  focused?: boolean;
  /** A visitor's typing indicator without news for this long is dropped. */
  typingExpiryMs?: number;
}

export interface ConsoleStore {
  /** Distinct per store, so the UI can rebuild itself for each login. */
  readonly id: string;
  readonly self: AgentInfo;
  readonly connection: ReadonlySignal<ClientState>;
  /** Set once the session ended for good (logout, revoked, expired). */
  readonly ended: ReadonlySignal<SessionEnd | undefined>;
  /** The agent's status, shared by all their tabs; undefined until the server tells. */
  readonly status: ReadonlySignal<AgentStatus | undefined>;
  readonly presence: ReadonlySignal<PresenceAgent[]>;
  /** Other agents who are online: who a chat can be transferred to. */
  readonly transferTargets: ReadonlySignal<PresenceAgent[]>;
  readonly queue: ReadonlySignal<QueueItem[]>;
  readonly chats: ReadonlySignal<ReadonlyMap<string, Chat>>;
  /** The chats in the sidebar: open ones first, then ended or transferred ones not yet closed. */
  readonly chatList: ReadonlySignal<Chat[]>;
  readonly outgoing: ReadonlySignal<Outgoing[]>;
  /** The agent's unsent replies, per conversation. */
  readonly drafts: ReadonlySignal<ReadonlyMap<string, string>>;
  readonly view: ReadonlySignal<ConsoleView>;
  readonly callMe: ReadonlySignal<CallMeRequest[]>;
  readonly offline: ReadonlySignal<OfflineRequest[]>;
  readonly visitors: ReadonlySignal<ReadonlyMap<string, VisitorLookup>>;

  /** Connects; resolves once welcomed or ended. */
  start(): Promise<void>;
  /** Closes the connection and stops every timer. */
  dispose(): void;
  show(view: ConsoleView): void;
  /** Opens the next (1) or previous (-1) chat of the sidebar. */
  nextChat(step: 1 | -1): void;
  setFocused(focused: boolean): void;
  setStatus(status: AgentStatus): Promise<ActionResult>;
  take(conversationId: string): Promise<ActionResult>;
  send(conversationId: string, body: string): Promise<ActionResult>;
  /** Sends a failed reply again (same id: it is never stored twice). */
  retry(clientId: string): Promise<ActionResult>;
  discard(clientId: string): void;
  draftChanged(conversationId: string, draft: string): void;
  transfer(conversationId: string, toAgentId: string, note?: string): Promise<ActionResult>;
  end(conversationId: string): Promise<ActionResult>;
  /** Removes an ended or transferred chat from the sidebar. */
  dismiss(conversationId: string): void;
  markCallMeDone(id: string): Promise<ActionResult>;
  markOfflineHandled(id: string): Promise<ActionResult>;
  loadVisitor(visitorId: string): Promise<void>;
  searchTranscripts(search: TranscriptSearch): Promise<SearchResult>;
  readTranscript(conversationId: string): Promise<TranscriptResult>;
  /** Adds a listener for new chats and messages; returns the function that removes it. */
  onAttention(listener: (attention: Attention) => void): () => void;
}

let storeCounter = 0;

/**
 * Creates the store of one login around a transport client (which it connects in `start`).
 *
 * @example
 * const client = createClient({ url, role: 'agent', token });
 * const store = createConsoleStore({ client, self: agent });
 * await store.start();
 * store.queue.value; // the waiting chats
 * await store.take(store.queue.value[0].conversationId);
 */
export function createConsoleStore(options: ConsoleStoreOptions): ConsoleStore {
  const { client, self } = options;
  const typingExpiryMs = options.typingExpiryMs ?? 30_000;
  const connection = signal<ClientState>(client.state);
  const ended = signal<SessionEnd | undefined>(undefined);
  const status = signal<AgentStatus | undefined>(undefined);
  const presence = signal<PresenceAgent[]>([]);
  const queue = signal<QueueItem[]>([]);
  const chats = signal<ReadonlyMap<string, Chat>>(new Map());
  const dismissed = signal<ReadonlySet<string>>(new Set());
  const outgoing = signal<Outgoing[]>([]);
  const drafts = signal<ReadonlyMap<string, string>>(new Map());
  const view = signal<ConsoleView>({ kind: 'home' });
  const inboxes = createInboxes(client);
  const lookups = createVisitorLookups(client);

  let focused = options.focused ?? true;
  let welcomedOnce = false;
  let disposed = false;
  let sessionEndedReason: ServerFrameOf<'session.ended'>['reason'] | undefined;
  /** Per conversation, the last seq that was already there at the first welcome: history, not news. */
  const baseline = new Map<string, number>();
  /** Queue entries seen in this session, so only new ones call for attention. */
  const seenQueue = new Set<string>();
  let queueKnown = false;
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const attentionListeners = new Set<(attention: Attention) => void>();
  const typing = createTypingSender((conversationId, isTyping) => {
    client.typing({ conversationId, typing: isTyping });
  });

  const transferTargets = computed(() =>
    presence.value.filter((agent) => agent.status === 'online' && agent.id !== self.id),
  );
  const chatList = computed(() => {
    const open = (chat: Chat) => (isMine(chat, self.id) ? 0 : 1);
    return [...chats.value.values()]
      .filter((chat) => !dismissed.value.has(chat.id))
      .sort((a, b) => open(a) - open(b) || a.startedAt - b.startedAt || a.id.localeCompare(b.id));
  });

  const looking = (conversationId: string) => {
    const current = view.value;
    return focused && current.kind === 'chat' && current.id === conversationId;
  };

  function putChat(chat: Chat): void {
    chats.value = new Map(chats.value).set(chat.id, chat);
  }

  function notify(attention: Attention): void {
    for (const listener of [...attentionListeners]) {
      try {
        listener(attention);
      } catch (error) {
        console.error('[parley hub] an attention listener threw', error);
      }
    }
  }

  function markRead(conversationId: string): void {
    const chat = chats.value.get(conversationId);
    if (chat && chat.unread > 0) putChat({ ...chat, unread: 0 });
  }

  function welcomed(welcome: Welcome): void {
    const first = !welcomedOnce;
    welcomedOnce = true;
    const listed = new Set(welcome.conversations.map((summary) => summary.id));
    const next = new Map(chats.value);
    for (const summary of welcome.conversations) {
      if (first) baseline.set(summary.id, summary.lastSeq);
      if (!next.has(summary.id)) {
        const chat = emptyChat(summary.id, summary.visitor, summary.startedAt);
        next.set(summary.id, { ...chat, status: summary.status, ...(summary.agent ? { agent: summary.agent } : {}) });
      }
    }
    chats.value = next;
    // A chat of ours that the welcome no longer lists changed while we were away (the visitor
    // ended it, say); its last frames are read from its log.
    if (!first) {
      for (const chat of next.values()) if (isMine(chat, self.id) && !listed.has(chat.id)) void catchUp(chat.id);
    }
    if (!disposed) void inboxes.refresh();
  }

  async function catchUp(conversationId: string): Promise<void> {
    try {
      for (let more = true; more;) {
        const afterSeq = chats.value.get(conversationId)?.lastSeq ?? 0;
        const page = await client.request({ type: 'history', conversationId, afterSeq });
        for (const frame of page.frames) applySequenced(frame);
        more = page.more && page.frames.length > 0;
      }
    } catch {
      // Disconnected again: the next welcome tries again.
    }
  }

  function applySequenced(frame: SequencedFrame): void {
    const before = chats.value.get(frame.conversationId);
    let chat = applyFrame(before, frame);
    if (chat === before) return;
    const live = frame.seq > (baseline.get(frame.conversationId) ?? 0);
    if (frame.type === 'message') {
      if (frame.clientId !== undefined && frame.author.role === 'agent') {
        const clientId = frame.clientId;
        outgoing.value = outgoing.value.filter((entry) => entry.clientId !== clientId);
      }
      if (frame.author.role === 'visitor' && live) {
        if (!looking(chat.id)) chat = { ...chat, unread: chat.unread + 1 };
        if (isMine(chat, self.id)) {
          notify({
            kind: 'message',
            key: `message:${chat.id}:${frame.seq}`,
            conversationId: chat.id,
            title: visitorLabel(chat.visitor),
            body: frame.body,
          });
        }
      }
    }
    const cameToMe =
      (frame.type === 'conversation.assigned' && frame.agent.id === self.id) ||
      (frame.type === 'conversation.transferred' && frame.to.id === self.id);
    if (cameToMe && dismissed.value.has(chat.id)) {
      const next = new Set(dismissed.value);
      next.delete(chat.id);
      dismissed.value = next;
    }
    if (cameToMe && live) {
      const firstMessage = chat.timeline.find((entry) => entry.type === 'message' && entry.author.role === 'visitor');
      notify({
        kind: 'chat',
        key: `chat:${chat.id}:${frame.seq}`,
        conversationId: chat.id,
        title:
          frame.type === 'conversation.transferred'
            ? `${frame.from.name} transferred a chat to you`
            : `New chat: ${visitorLabel(chat.visitor)}`,
        body:
          frame.type === 'conversation.transferred' && frame.note
            ? frame.note
            : firstMessage?.type === 'message'
              ? firstMessage.body
              : '',
      });
    }
    if (
      frame.type === 'conversation.ended' ||
      (frame.type === 'conversation.transferred' && frame.from.id === self.id)
    ) {
      typing.stop(chat.id);
    }
    putChat(chat);
  }

  function visitorTyping(frame: ServerFrameOf<'typing'>): void {
    if (frame.role !== 'visitor') return;
    const chat = chats.value.get(frame.conversationId);
    if (!chat) return;
    clearTimeout(typingTimers.get(chat.id));
    typingTimers.delete(chat.id);
    if (frame.typing) {
      typingTimers.set(
        chat.id,
        setTimeout(() => {
          typingTimers.delete(chat.id);
          const current = chats.value.get(chat.id);
          if (current) putChat({ ...current, visitorTyping: false, sneakPeek: '' });
        }, typingExpiryMs),
      );
    }
    putChat({ ...chat, visitorTyping: frame.typing, sneakPeek: frame.typing ? (frame.draft ?? '') : '' });
  }

  function queueChanged(frame: ServerFrameOf<'queue'>): void {
    for (const item of frame.items) {
      if (queueKnown && !seenQueue.has(item.conversationId)) {
        notify({
          kind: 'chat',
          key: `queue:${item.conversationId}`,
          conversationId: item.conversationId,
          title: `Waiting: ${visitorLabel(item.visitor)}`,
          body: item.firstMessage ?? '',
        });
      }
      seenQueue.add(item.conversationId);
    }
    queueKnown = true;
    queue.value = frame.items;
  }

  function closed(info: { code: number; final: boolean }): void {
    if (!info.final || ended.value) return;
    const byCode: Record<number, SessionEnd['reason']> = {
      4401: 'unauthorized',
      4403: 'origin',
      4406: 'version',
      4409: 'logout',
    };
    const reason =
      sessionEndedReason === 'expired'
        ? 'expired'
        : sessionEndedReason !== undefined
          ? 'logout'
          : (byCode[info.code] ?? 'closed');
    ended.value = { reason, code: info.code };
  }

  async function deliver(entry: Outgoing): Promise<ActionResult> {
    try {
      await client.send({ conversationId: entry.conversationId, body: entry.body, clientId: entry.clientId });
      return { ok: true };
    } catch (error) {
      const result = failure(error, { forbidden: 'Not sent: this chat is no longer yours.' });
      const message = result.ok ? '' : result.message;
      outgoing.value = outgoing.value.map((item) =>
        item.clientId === entry.clientId ? { ...item, failed: message } : item,
      );
      return result;
    }
  }

  function setDraft(conversationId: string, draft: string): void {
    const next = new Map(drafts.value);
    if (draft === '') next.delete(conversationId);
    else next.set(conversationId, draft);
    drafts.value = next;
  }

  const unsubscribers = [
    client.on('state', ({ state }) => (connection.value = state)),
    client.on('welcome', welcomed),
    client.on('sequenced', applySequenced),
    client.on('typing', visitorTyping),
    client.on('agent.status', (frame) => (status.value = frame.status)),
    client.on('presence', (frame) => (presence.value = frame.agents)),
    client.on('queue', queueChanged),
    client.on('callme', (frame) => inboxes.putCallMe(frame.request)),
    client.on('offline', (frame) => inboxes.putOffline(frame.request)),
    client.on('session.ended', (frame) => (sessionEndedReason = frame.reason)),
    client.on('closed', closed),
  ];

  const store: ConsoleStore = {
    id: `store-${++storeCounter}`,
    self,
    connection,
    ended,
    status,
    presence,
    transferTargets,
    queue,
    chats,
    chatList,
    outgoing,
    drafts,
    view,
    callMe: inboxes.callMe,
    offline: inboxes.offline,
    visitors: lookups.visitors,

    async start() {
      try {
        await client.connect();
      } catch {
        // The `closed` event has already set `ended`.
      }
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      typing.dispose();
      // Closed first, so the store's own signals say so (connection "closed", ended "closed").
      client.close();
      for (const unsubscribe of unsubscribers) unsubscribe();
      for (const timer of typingTimers.values()) clearTimeout(timer);
      typingTimers.clear();
      attentionListeners.clear();
    },

    show(next) {
      batch(() => {
        view.value = next;
        if (next.kind === 'chat') markRead(next.id);
      });
    },

    nextChat(step) {
      const list = chatList.value;
      if (list.length === 0) return;
      const current = view.value;
      const index = current.kind === 'chat' ? list.findIndex((chat) => chat.id === current.id) : -1;
      const target = index === -1 ? (step === 1 ? 0 : list.length - 1) : (index + step + list.length) % list.length;
      store.show({ kind: 'chat', id: list[target]!.id });
    },

    setFocused(value) {
      focused = value;
      const current = view.value;
      if (value && current.kind === 'chat') markRead(current.id);
    },

    setStatus(next) {
      return attempt(() => client.request({ type: 'agent.status', status: next }));
    },

    async take(conversationId) {
      const result = await attempt(() => client.request({ type: 'conversation.take', conversationId }), {
        invalid_state: 'Another agent already took this chat.',
        not_found: 'This chat no longer exists.',
      });
      if (result.ok) {
        batch(() => {
          queue.value = queue.value.filter((item) => item.conversationId !== conversationId);
          store.show({ kind: 'chat', id: conversationId });
        });
      }
      return result;
    },

    send(conversationId, body) {
      if (body.trim() === '') return Promise.resolve({ ok: false, message: 'Type a reply first.' });
      const entry: Outgoing = { clientId: randomId('hub'), conversationId, body };
      batch(() => {
        outgoing.value = [...outgoing.value, entry];
        setDraft(conversationId, '');
      });
      typing.stop(conversationId);
      return deliver(entry);
    },

    retry(clientId) {
      const entry = outgoing.value.find((item) => item.clientId === clientId);
      if (!entry) return Promise.resolve({ ok: true });
      const { failed: _failed, ...again } = entry;
      outgoing.value = outgoing.value.map((item) => (item.clientId === clientId ? again : item));
      return deliver(again);
    },

    discard(clientId) {
      outgoing.value = outgoing.value.filter((item) => item.clientId !== clientId);
    },

    draftChanged(conversationId, draft) {
      setDraft(conversationId, draft);
      const chat = chats.value.get(conversationId);
      if (chat && isMine(chat, self.id)) typing.changed(conversationId, draft);
    },

    transfer(conversationId, toAgentId, note) {
      const frame: Omit<ClientFrameOf<'conversation.transfer'>, 'ref'> = {
        type: 'conversation.transfer',
        conversationId,
        toAgentId,
        ...(note?.trim() ? { note: note.trim() } : {}),
      };
      return attempt(() => client.request(frame), {
        invalid_state: 'You cannot transfer a chat to yourself.',
        forbidden: 'Only the agent assigned to this chat can transfer it.',
      });
    },

    end(conversationId) {
      return attempt(() => client.request({ type: 'conversation.end', conversationId }), {
        forbidden: 'Only the agent assigned to this chat can end it.',
      });
    },

    dismiss(conversationId) {
      batch(() => {
        dismissed.value = new Set(dismissed.value).add(conversationId);
        const current = view.value;
        if (current.kind === 'chat' && current.id === conversationId) view.value = { kind: 'home' };
      });
    },

    markCallMeDone: (id) => inboxes.markCallMeDone(id),
    markOfflineHandled: (id) => inboxes.markOfflineHandled(id),
    loadVisitor: (visitorId) => lookups.load(visitorId),
    searchTranscripts: (search) => searchTranscripts(client, search),
    readTranscript: (conversationId) => readTranscript(client, conversationId),

    onAttention(listener) {
      attentionListeners.add(listener);
      return () => attentionListeners.delete(listener);
    },
  };
  return store;
}
