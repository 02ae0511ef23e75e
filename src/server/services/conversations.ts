/**
 * Conversations: messages (persisted, sequenced, then acknowledged), ends, surveys, history and
 * the typing relay. Every write goes through the log, so replay and live delivery agree.
 */
import type { Selectable } from 'kysely';
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
import { createGroupCommit } from './group-commit.js';
import { frameOfRow, type ConversationState, type Log } from './log.js';
import type { Routing } from './routing.js';
import { newId } from './ids.js';
import { visitorInfo } from './views.js';

type ConversationRow = Selectable<Database['conversations']>;
type Access = Pick<ConversationRow, 'visitor_id' | 'account_id'>;

/** Room left in a history.result frame for the frames themselves. */
const historyPageBytes = limits.maxFrameBytes - 2048;
type Ack = ServerFrameOf<'message.ack'>;

function ackOfFrame(clientId: string, frame: SequencedFrame): Ack {
  return {
    type: 'message.ack',
    clientId,
    conversationId: frame.conversationId,
    seq: frame.seq,
    id: (frame as { id: string }).id,
    at: frame.at,
  };
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

/** Visitors read their own conversations; agents read those of their account. */
function mayRead(principal: Principal, conversation: Access): boolean {
  return principal.role === 'visitor'
    ? conversation.visitor_id === principal.visitorId
    : conversation.account_id === principal.accountId;
}

/** Why `principal` may not write a message in the conversation as it is now, if it may not. */
function writeRefusal(principal: Principal, conversation: ConversationState): ParleyError | undefined {
  if (!mayRead(principal, conversation)) return new ParleyError('forbidden', 'not your conversation');
  if (principal.role === 'visitor') {
    return conversation.status === 'ended' ? new ParleyError('invalid_state', 'the conversation has ended') : undefined;
  }
  if (conversation.status !== 'active' || conversation.agent_id !== principal.agentId)
    return new ParleyError('forbidden', 'only the assigned agent can write in this conversation');
  return undefined;
}

export function createConversations(ctx: ServiceContext, routing: Routing, log: Log) {
  const { db, bus, now } = ctx;

  const publish = (frames: SequencedFrame[]) => {
    for (const frame of frames) bus.publish(topics.conversation(frame.conversationId), { kind: 'frame', frame });
  };
  const writer = createGroupCommit({ db, log, now, onCommitted: publish });

  async function load(conversationId: string): Promise<ConversationRow> {
    const row = await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!row) throw new ParleyError('not_found', 'no such conversation');
    return row;
  }

  async function readable(principal: Principal, conversationId: string): Promise<ConversationRow> {
    const row = await load(conversationId);
    if (!mayRead(principal, row)) throw new ParleyError('forbidden', 'not your conversation');
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
      .innerJoin('conversations as c', 'c.log_key', 'm.conversation_key')
      .select(['m.client_id', 'c.id as conversation_id', 'm.seq', 'm.id', 'm.created_at'])
      .where('m.client_id', '=', clientId);
    query =
      principal.role === 'visitor'
        ? query.where('c.visitor_id', '=', principal.visitorId)
        : query.where('c.id', '=', conversationId ?? '').where('m.author_id', '=', principal.agentId);
    return query.executeTakeFirst();
  }

  /** A visitor's first message opens a conversation: started, then the message, in one transaction. */
  async function startConversation(principal: VisitorPrincipal, body: string, clientId: string): Promise<Ack> {
    const visitor = await db
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', principal.visitorId)
      .executeTakeFirstOrThrow();
    const id = newId();
    const at = now();
    const [started, message] = await db.transaction().execute(async (trx) => {
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
      const started = await log.append(trx, id, { kind: 'conversation.started', visitor: visitorInfo(visitor) }, at);
      const message = await log.append(
        trx,
        id,
        { kind: 'message', body, clientId, author: { role: 'visitor', id: principal.visitorId } },
        at,
      );
      return [started, message] as const;
    });
    publish([started, message]);
    bus.publish(topics.visitor(principal.visitorId), { kind: 'join', conversationId: id });
    // The ack does not wait for routing: the message is stored, which is all the ack promises.
    void routing.route(principal.accountId);
    return ackOfFrame(clientId, message);
  }

  return {
    readable,
    openConversationOf,

    /**
     * Persists a message and returns its ack; a retry with the same client id returns the
     * first ack and stores nothing. Messages to an existing conversation go through the group
     * commit: each is acked once the transaction that holds it committed.
     */
    async send(principal: Principal, frame: ClientFrameOf<'message.send'>): Promise<Ack> {
      // A retry into the same conversation is caught by the unique (conversation, client id) key.
      // The look-up for an earlier attempt runs only where that key cannot help: the message was
      // refused (say the conversation ended since the first attempt) or starts a conversation.
      const resent = async () => {
        const earlier = await earlierAttempt(principal, frame.clientId, frame.conversationId);
        return earlier && ackOf(earlier);
      };
      let conversationId = frame.conversationId;
      if (!conversationId) {
        if (principal.role === 'agent')
          throw new ParleyError('bad_frame', 'message.send: conversationId is required for agents');
        const open = await openConversationOf(principal.visitorId);
        if (!open) return (await resent()) ?? startConversation(principal, frame.body, frame.clientId);
        conversationId = open.id;
      }
      const author =
        principal.role === 'visitor'
          ? { role: 'visitor' as const, id: principal.visitorId }
          : { role: 'agent' as const, id: principal.agentId, name: principal.info.name };
      const outcome = await writer.append(conversationId, {
        entry: { kind: 'message', body: frame.body, clientId: frame.clientId, author },
        refuse: (conversation) => writeRefusal(principal, conversation),
      });
      if ('stored' in outcome) return ackOfFrame(frame.clientId, outcome.stored);
      const ack = await resent();
      if (ack) return ack;
      throw 'refused' in outcome
        ? outcome.refused
        : new ParleyError('invalid_state', 'this client id is already taken in the conversation');
    },

    /** Resolves once every message handed to the group commit so far is written. */
    drain: () => writer.drain(),

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
        return log.append(trx, conversation.id, { kind: 'conversation.ended', by: principal.role }, at);
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
          .where('conversation_key', '=', conversation.log_key)
          .where('kind', '=', 'survey.submitted')
          .executeTakeFirst();
        if (existing) return undefined;
        const entry = {
          kind: 'survey.submitted' as const,
          score: frame.score,
          ...(frame.comment ? { comment: frame.comment } : {}),
        };
        return log.append(trx, conversation.id, entry, at);
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
      const conversation = await readable(principal, conversationId);
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('conversation_key', '=', conversation.log_key)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      // A page also stops short of the frame size limit, so a page of long messages still fits.
      const frames: SequencedFrame[] = [];
      let bytes = 0;
      for (const row of rows.slice(0, limit)) {
        const frame = frameOfRow(row, conversationId);
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
