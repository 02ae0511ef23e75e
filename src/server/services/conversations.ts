/**
 * Conversations: messages (persisted, sequenced, then acknowledged), ends, surveys, history and
 * the typing relay. Every write goes through the log, so replay and live delivery agree.
 */
import {
  limits,
  ParleyError,
  type ClientFrameOf,
  type SequencedFrame,
  type ServerFrameOf,
} from '../../protocol/index.js';
import { topics } from '../bus/index.js';
import type { Database } from '../store/schema.js';
import type { Principal, ServiceContext, VisitorPrincipal } from './context.js';
import { appendToLog, frameOfRow } from './log.js';
import type { Routing } from './routing.js';
import { newId } from './ids.js';
import { visitorInfo } from './views.js';

type ConversationRow = Database['conversations'];

/** Room left in a history.result frame for the frames themselves. */
const historyPageBytes = limits.maxFrameBytes - 2048;
type Ack = ServerFrameOf<'message.ack'>;

/** SQLite and PostgreSQL report a duplicate key differently. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function ackOf(row: {
  client_id: string | null;
  conversation_id: string;
  seq: number;
  id: string;
  created_at: number;
}): Ack {
  return {
    type: 'message.ack',
    clientId: row.client_id ?? '',
    conversationId: row.conversation_id,
    seq: row.seq,
    id: row.id,
    at: row.created_at,
  };
}

export function createConversations(ctx: ServiceContext, routing: Routing) {
  const { db, bus, now } = ctx;

  const publish = (frames: SequencedFrame[]) => {
    for (const frame of frames) bus.publish(topics.conversation(frame.conversationId), { kind: 'frame', frame });
  };

  async function load(conversationId: string): Promise<ConversationRow> {
    const row = await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!row) throw new ParleyError('not_found', 'no such conversation');
    return row;
  }

  /** Visitors read their own conversations; agents read those of their account. */
  async function readable(principal: Principal, conversationId: string): Promise<ConversationRow> {
    const row = await load(conversationId);
    const allowed =
      principal.role === 'visitor' ? row.visitor_id === principal.visitorId : row.account_id === principal.accountId;
    if (!allowed) throw new ParleyError('forbidden', 'not your conversation');
    return row;
  }

  async function openConversationOf(visitorId: string): Promise<ConversationRow | undefined> {
    return db
      .selectFrom('conversations')
      .selectAll()
      .where('visitor_id', '=', visitorId)
      .where('status', '!=', 'ended')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** An earlier attempt with this client id, if one was stored: a retry gets the same ack. */
  async function earlierAttempt(principal: Principal, clientId: string, conversationId?: string) {
    let query = db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['m.client_id', 'm.conversation_id', 'm.seq', 'm.id', 'm.created_at'])
      .where('m.client_id', '=', clientId);
    query =
      principal.role === 'visitor'
        ? query.where('c.visitor_id', '=', principal.visitorId)
        : query.where('m.conversation_id', '=', conversationId ?? '').where('m.author_id', '=', principal.agentId);
    return query.executeTakeFirst();
  }

  /** Where a message goes: the named conversation, the visitor's open one, or a new one. */
  async function target(
    principal: Principal,
    conversationId: string | undefined,
  ): Promise<ConversationRow | undefined> {
    if (principal.role === 'visitor') {
      if (!conversationId) return openConversationOf(principal.visitorId);
      const row = await readable(principal, conversationId);
      if (row.status === 'ended') throw new ParleyError('invalid_state', 'the conversation has ended');
      return row;
    }
    if (!conversationId) throw new ParleyError('bad_frame', 'message.send: conversationId is required for agents');
    const row = await readable(principal, conversationId);
    if (row.status !== 'active' || row.agent_id !== principal.agentId) {
      throw new ParleyError('forbidden', 'only the assigned agent can write in this conversation');
    }
    return row;
  }

  async function startConversation(principal: VisitorPrincipal, body: string, clientId: string, at: number) {
    const visitor = await db
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', principal.visitorId)
      .executeTakeFirstOrThrow();
    const id = newId();
    return db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversations')
        .values({
          id,
          widget_id: principal.widgetId,
          account_id: principal.accountId,
          visitor_id: principal.visitorId,
          status: 'queued',
          last_seq: 0,
          first_message: body.slice(0, 500),
          created_at: at,
        })
        .execute();
      const started = await appendToLog(trx, id, { kind: 'conversation.started', visitor: visitorInfo(visitor) }, at);
      const message = await appendToLog(
        trx,
        id,
        { kind: 'message', body, clientId, author: { role: 'visitor', id: principal.visitorId } },
        at,
      );
      return [started, message];
    });
  }

  return {
    readable,
    openConversationOf,

    /**
     * Persists a message and returns its ack; a retry with the same client id returns the
     * first ack and stores nothing.
     */
    async send(principal: Principal, frame: ClientFrameOf<'message.send'>): Promise<Ack> {
      // The hot path skips the look-up for an earlier attempt: a retry into the same conversation
      // hits the unique (conversation, client id) key below. The look-up runs only where that key
      // cannot help: the target is gone (ended since the first attempt) or about to be created.
      const resent = async () => {
        const earlier = await earlierAttempt(principal, frame.clientId, frame.conversationId);
        return earlier && ackOf(earlier);
      };
      let conversation: ConversationRow | undefined;
      try {
        conversation = await target(principal, frame.conversationId);
      } catch (error) {
        const ack = await resent();
        if (ack) return ack;
        throw error;
      }
      if (!conversation) {
        const ack = await resent();
        if (ack) return ack;
      }
      const at = now();
      let frames: SequencedFrame[];
      try {
        if (!conversation && principal.role === 'visitor') {
          frames = await startConversation(principal, frame.body, frame.clientId, at);
        } else {
          const author =
            principal.role === 'visitor'
              ? { role: 'visitor' as const, id: principal.visitorId }
              : { role: 'agent' as const, id: principal.agentId, name: principal.info.name };
          frames = [
            await db
              .transaction()
              .execute((trx) =>
                appendToLog(
                  trx,
                  conversation!.id,
                  { kind: 'message', body: frame.body, clientId: frame.clientId, author },
                  at,
                ),
              ),
          ];
        }
      } catch (error) {
        // A retry, or two copies of one send racing: the later one answers with the first's ack.
        const ack = isUniqueViolation(error) ? await resent() : undefined;
        if (ack) return ack;
        throw error;
      }
      publish(frames);
      const message = frames[frames.length - 1]!;
      if (!conversation && principal.role === 'visitor') {
        bus.publish(topics.visitor(principal.visitorId), { kind: 'join', conversationId: message.conversationId });
        // The ack does not wait for routing: the message is stored, which is all the ack promises.
        void routing.route(principal.accountId);
      }
      return {
        type: 'message.ack',
        clientId: frame.clientId,
        conversationId: message.conversationId,
        seq: message.seq,
        id: (message as { id: string }).id,
        at,
      };
    },

    /** Ends a conversation for good; ending an ended conversation is a no-op. */
    async end(principal: Principal, conversationId: string | undefined): Promise<void> {
      const conversation =
        principal.role === 'visitor' && !conversationId
          ? await openConversationOf(principal.visitorId)
          : await readable(principal, conversationId ?? '');
      if (!conversation || conversation.status === 'ended') return;
      if (
        principal.role === 'agent' &&
        conversation.status === 'active' &&
        conversation.agent_id !== principal.agentId
      ) {
        throw new ParleyError('forbidden', 'only the assigned agent can end an active conversation');
      }
      const at = now();
      const frame = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('conversations')
          .set({ status: 'ended', ended_at: at })
          .where('id', '=', conversation.id)
          .where('status', '!=', 'ended')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return undefined;
        return appendToLog(trx, conversation.id, { kind: 'conversation.ended', by: principal.role }, at);
      });
      if (!frame) return;
      // The agent keeps following the ended conversation on this connection: the survey comes after.
      publish([frame]);
      await routing.route(conversation.account_id);
    },

    /** The post-chat survey: once per conversation, after it ended. */
    async survey(principal: VisitorPrincipal, frame: ClientFrameOf<'survey.submit'>): Promise<void> {
      const conversation = await readable(principal, frame.conversationId);
      if (conversation.status !== 'ended')
        throw new ParleyError('invalid_state', 'the survey follows the end of the chat');
      const at = now();
      const stored = await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('messages')
          .select('id')
          .where('conversation_id', '=', conversation.id)
          .where('kind', '=', 'survey.submitted')
          .executeTakeFirst();
        if (existing) return undefined;
        const entry = {
          kind: 'survey.submitted' as const,
          score: frame.score,
          ...(frame.comment ? { comment: frame.comment } : {}),
        };
        return appendToLog(trx, conversation.id, entry, at);
      });
      if (stored) publish([stored]);
    },

    /** A page of the log after `afterSeq`, for resume gaps, reloads and transcripts. */
    async history(
      principal: Principal,
      conversationId: string,
      afterSeq: number,
      limit: number = limits.historyPageLimit,
    ) {
      await readable(principal, conversationId);
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      // A page also stops short of the frame size limit, so a page of long messages still fits.
      const frames: SequencedFrame[] = [];
      let bytes = 0;
      for (const row of rows.slice(0, limit)) {
        const frame = frameOfRow(row);
        bytes += JSON.stringify(frame).length;
        if (frames.length > 0 && bytes > historyPageBytes) return { frames, more: true };
        frames.push(frame);
      }
      return { frames, more: rows.length > limit };
    },

    /** Relays typing (and the visitor's sneak-peek draft) to the other side; nothing is stored. */
    async typing(principal: Principal, frame: ClientFrameOf<'typing'>): Promise<void> {
      const conversation =
        principal.role === 'visitor' && !frame.conversationId
          ? await openConversationOf(principal.visitorId)
          : await readable(principal, frame.conversationId ?? '');
      if (!conversation || conversation.status === 'ended') return;
      const draft = principal.role === 'visitor' && frame.typing && frame.draft ? { draft: frame.draft } : {};
      bus.publish(topics.conversation(conversation.id), {
        kind: 'frame',
        frame: {
          type: 'typing',
          conversationId: conversation.id,
          role: principal.role,
          typing: frame.typing,
          ...draft,
        },
      });
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
