/**
 * One live connection of a visitor or agent, over WebSocket or the SSE fallback. It sends the
 * welcome, replays what the client missed, and keeps each conversation's frames in order with
 * no gaps and no duplicates: the bus only wakes it, and a gap is filled from the store.
 */
import {
  closeCodes,
  isSequenced,
  limits,
  PROTOCOL_VERSION,
  type ClientFrameOf,
  type ServerFrame,
} from '../../protocol/index.js';
import { topics, type BusEvent } from '../bus/index.js';
import type { Principal, Services } from '../services/index.js';
import { agentConversations, visitorConversations } from '../services/views.js';

export interface PeerSink {
  send(frame: ServerFrame): void;
  /** Ends the connection with a close code and a machine-readable reason. */
  end(code: number, reason: string): void;
}

interface Feed {
  /** The last sequence number this connection has sent for the conversation. */
  lastSent: number;
  /** Work on one conversation runs in order: replay, live frames, backfills. */
  chain: Promise<void>;
  /** Jobs on the chain that have not finished; with none, the next frame in line goes out at once. */
  queued: number;
  unsubscribe: () => void;
}

export class Peer {
  private readonly feeds = new Map<string, Feed>();
  private readonly unsubscribers: (() => void)[] = [];
  /** Bus events that arrive before the welcome is out wait here. */
  private early: BusEvent[] | undefined = [];
  private disposed = false;
  /** Set once this connection counts toward the agent's presence. */
  private present = false;

  constructor(
    private readonly services: Services,
    readonly principal: Principal,
    private readonly sink: PeerSink,
    private readonly heartbeatMs: number,
  ) {}

  /** Subscribes, sends the welcome and replays from the client's resume point. */
  async start(hello: ClientFrameOf<'hello'>): Promise<void> {
    const { principal, services } = this;
    const { db, bus } = services.ctx;
    const onEvent = (event: BusEvent) => (this.early ? this.early.push(event) : this.onPrincipalEvent(event));
    this.unsubscribers.push(bus.subscribe(topics.session(principal.sessionId), onEvent));
    if (principal.role === 'visitor') {
      this.unsubscribers.push(bus.subscribe(topics.visitor(principal.visitorId), onEvent));
      this.unsubscribers.push(bus.subscribe(topics.widget(principal.widgetId), onEvent));
    } else {
      this.unsubscribers.push(bus.subscribe(topics.agent(principal.agentId), onEvent));
      this.unsubscribers.push(bus.subscribe(topics.agents(principal.accountId), onEvent));
    }
    const conversations =
      principal.role === 'visitor'
        ? await visitorConversations(db, principal.visitorId)
        : await agentConversations(db, principal.agentId);
    if (this.disposed) return;
    this.sink.send({
      type: 'welcome',
      v: PROTOCOL_VERSION,
      role: principal.role,
      self:
        principal.role === 'visitor'
          ? { id: principal.visitorId }
          : { id: principal.agentId, name: principal.info.name },
      heartbeatMs: this.heartbeatMs,
      conversations,
    });
    const resume = new Map((hello.resume ?? []).map((point) => [point.conversationId, point.seq]));
    for (const conversation of conversations) this.follow(conversation.id, resume.get(conversation.id) ?? 0);
    if (principal.role === 'visitor') {
      this.sink.send({ type: 'availability', online: await services.routing.isOnline(principal.accountId) });
      const queued = conversations.find((conversation) => conversation.status === 'queued');
      if (queued) await services.routing.broadcastQueue(principal.accountId);
    } else {
      this.present = true;
      await services.routing.agentConnected(principal);
      this.sink.send({ type: 'agent.status', status: await services.routing.status(principal.agentId) });
      this.sink.send(await services.routing.presenceFrame(principal.accountId));
      this.sink.send({ type: 'queue', items: await services.routing.queue(principal.accountId) });
    }
    const early = this.early ?? [];
    this.early = undefined;
    for (const event of early) this.onPrincipalEvent(event);
  }

  private onPrincipalEvent(event: BusEvent): void {
    if (this.disposed) return;
    switch (event.kind) {
      case 'frame':
        this.sink.send(event.frame);
        return;
      case 'join':
        this.follow(event.conversationId, 0);
        return;
      case 'leave':
        this.unfollow(event.conversationId);
        return;
      case 'session-ended':
        this.sink.send({ type: 'session.ended', reason: event.reason });
        this.sink.end(closeCodes.session_ended, 'session_ended');
        this.dispose();
        return;
    }
  }

  /** Starts delivering a conversation from `fromSeq`; following twice is harmless. */
  private follow(conversationId: string, fromSeq: number): void {
    if (this.disposed || this.feeds.has(conversationId)) return;
    const feed: Feed = { lastSent: fromSeq, chain: Promise.resolve(), queued: 0, unsubscribe: () => undefined };
    this.feeds.set(conversationId, feed);
    feed.unsubscribe = this.services.ctx.bus.subscribe(topics.conversation(conversationId), (event) => {
      if (event.kind === 'frame') this.onConversationFrame(feed, conversationId, event.frame);
    });
    this.enqueue(feed, () => this.catchUp(feed, conversationId, true));
  }

  private unfollow(conversationId: string): void {
    const feed = this.feeds.get(conversationId);
    if (!feed) return;
    this.enqueue(feed, () => {
      feed.unsubscribe();
      this.feeds.delete(conversationId);
      return Promise.resolve();
    });
  }

  private onConversationFrame(feed: Feed, conversationId: string, frame: ServerFrame): void {
    if (!isSequenced(frame)) {
      // Typing goes to the other side only: a visitor's draft never echoes to their own tabs.
      if (frame.type === 'typing' && frame.role === this.principal.role) return;
      if (frame.type === 'queue.position' && this.principal.role !== 'visitor') return;
      this.sink.send(frame);
      return;
    }
    if (feed.queued === 0 && frame.seq === feed.lastSent + 1) {
      this.sink.send(frame);
      feed.lastSent = frame.seq;
      return;
    }
    this.enqueue(feed, async () => {
      if (frame.seq <= feed.lastSent) return;
      if (frame.seq === feed.lastSent + 1) {
        this.sink.send(frame);
        feed.lastSent = frame.seq;
        return;
      }
      await this.catchUp(feed, conversationId, false);
    });
  }

  /**
   * Sends every stored frame after `lastSent`. On the first catch-up (resume) a gap over the
   * replay limit gets "reload" instead, and the client pages through history itself.
   */
  private async catchUp(feed: Feed, conversationId: string, resuming: boolean): Promise<void> {
    const { conversations, ctx } = this.services;
    if (resuming) {
      // Sequence numbers are gap-free, so the gap's size is a subtraction.
      const { last_seq: lastSeq } = await ctx.db
        .selectFrom('conversations')
        .select('last_seq')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      if (lastSeq - feed.lastSent > limits.replayLimit) {
        if (this.disposed) return;
        this.sink.send({ type: 'reload', conversationId, lastSeq });
        feed.lastSent = lastSeq;
        return;
      }
    }
    for (;;) {
      const page = await conversations.history(this.principal, conversationId, feed.lastSent, limits.replayLimit);
      if (this.disposed) return;
      for (const frame of page.frames) {
        if (frame.seq <= feed.lastSent) continue;
        this.sink.send(frame);
        feed.lastSent = frame.seq;
      }
      if (!page.more) return;
    }
  }

  private enqueue(feed: Feed, job: () => Promise<void>): void {
    feed.queued += 1;
    feed.chain = feed.chain
      .then(job)
      .catch((error: unknown) => {
        // A failed read must not leave the client with a silent gap: close so it resumes.
        console.error('conversation delivery failed', error);
        this.sink.end(closeCodes.internal, 'internal');
        this.dispose();
      })
      .finally(() => (feed.queued -= 1));
  }

  /** Stops all delivery; the transport calls it when the connection closes. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    for (const feed of this.feeds.values()) feed.unsubscribe();
    this.feeds.clear();
    if (this.principal.role === 'agent' && this.present) this.services.routing.agentDisconnected(this.principal);
  }
}
