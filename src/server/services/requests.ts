/**
 * Requests that wait for an agent outside a chat: call-me requests and offline messages.
 * The client's ref is the idempotency key, so a resend after a reconnect stores nothing new.
 */
import { ParleyError, type CallMeRequest, type ClientFrameOf, type OfflineRequest } from '../../protocol/index.js';
import { topics } from '../bus/index.js';
import type { Database } from '../store/schema.js';
import { compact, type AgentPrincipal, type ServiceContext, type VisitorPrincipal } from './context.js';
import type { Conversations } from './conversations.js';
import { newId } from './ids.js';

export function callMeOf(row: Database['callme_requests']): CallMeRequest {
  return compact({
    id: row.id,
    visitorId: row.visitor_id,
    conversationId: row.conversation_id ?? undefined,
    phone: row.phone,
    page: row.page ?? undefined,
    at: row.created_at,
    doneAt: row.done_at ?? undefined,
  });
}

export function offlineOf(row: Database['offline_requests']): OfflineRequest {
  return compact({
    id: row.id,
    email: row.email,
    name: row.name ?? undefined,
    body: row.body,
    page: row.page ?? undefined,
    at: row.created_at,
    handledAt: row.handled_at ?? undefined,
  });
}

export function createRequests(ctx: ServiceContext, conversations: Conversations) {
  const { db, bus, now } = ctx;
  const notifyAgents = (
    accountId: string,
    frame: { type: 'callme'; request: CallMeRequest } | { type: 'offline'; request: OfflineRequest },
  ) => bus.publish(topics.agents(accountId), { kind: 'frame', frame });

  return {
    async callMe(principal: VisitorPrincipal, frame: ClientFrameOf<'callme.request'>): Promise<CallMeRequest> {
      const find = () =>
        db
          .selectFrom('callme_requests')
          .selectAll()
          .where('visitor_id', '=', principal.visitorId)
          .where('client_ref', '=', frame.ref)
          .executeTakeFirst();
      const earlier = await find();
      if (earlier) return callMeOf(earlier);
      const open = await conversations.openConversationOf(principal.visitorId);
      const row: Database['callme_requests'] = {
        id: newId(),
        widget_id: principal.widgetId,
        account_id: principal.accountId,
        visitor_id: principal.visitorId,
        conversation_id: open?.id ?? null,
        client_ref: frame.ref,
        phone: frame.phone,
        page: frame.page ?? null,
        created_at: now(),
        done_at: null,
        done_by: null,
      };
      await db.insertInto('callme_requests').values(row).execute();
      const request = callMeOf(row);
      notifyAgents(principal.accountId, { type: 'callme', request });
      return request;
    },

    async offlineMessage(
      principal: VisitorPrincipal,
      frame: ClientFrameOf<'offline.message'>,
    ): Promise<OfflineRequest> {
      const earlier = await db
        .selectFrom('offline_requests')
        .selectAll()
        .where('visitor_id', '=', principal.visitorId)
        .where('client_ref', '=', frame.ref)
        .executeTakeFirst();
      if (earlier) return offlineOf(earlier);
      const row: Database['offline_requests'] = {
        id: newId(),
        widget_id: principal.widgetId,
        account_id: principal.accountId,
        visitor_id: principal.visitorId,
        client_ref: frame.ref,
        email: frame.email,
        name: frame.name ?? null,
        body: frame.body,
        page: frame.page ?? null,
        created_at: now(),
        handled_at: null,
        handled_by: null,
      };
      await db.insertInto('offline_requests').values(row).execute();
      const request = offlineOf(row);
      notifyAgents(principal.accountId, { type: 'offline', request });
      return request;
    },

    /** Marks a call-me request done; marking twice keeps the first time. */
    async callMeDone(principal: AgentPrincipal, id: string): Promise<void> {
      await db
        .updateTable('callme_requests')
        .set({ done_at: now(), done_by: principal.agentId })
        .where('id', '=', id)
        .where('account_id', '=', principal.accountId)
        .where('done_at', 'is', null)
        .execute();
      const row = await db
        .selectFrom('callme_requests')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', principal.accountId)
        .executeTakeFirst();
      if (!row) throw new ParleyError('not_found', 'no such call-me request');
      notifyAgents(principal.accountId, { type: 'callme', request: callMeOf(row) });
    },

    async offlineHandled(principal: AgentPrincipal, id: string): Promise<void> {
      await db
        .updateTable('offline_requests')
        .set({ handled_at: now(), handled_by: principal.agentId })
        .where('id', '=', id)
        .where('account_id', '=', principal.accountId)
        .where('handled_at', 'is', null)
        .execute();
      const row = await db
        .selectFrom('offline_requests')
        .selectAll()
        .where('id', '=', id)
        .where('account_id', '=', principal.accountId)
        .executeTakeFirst();
      if (!row) throw new ParleyError('not_found', 'no such offline message');
      notifyAgents(principal.accountId, { type: 'offline', request: offlineOf(row) });
    },

    /** Page, referrer, language, local time zone and custom data that agents see beside the chat. */
    async updateVisitor(principal: VisitorPrincipal, frame: ClientFrameOf<'visitor.update'>): Promise<void> {
      const current = await db
        .selectFrom('visitors')
        .select('custom')
        .where('id', '=', principal.visitorId)
        .executeTakeFirstOrThrow();
      const custom = frame.custom
        ? JSON.stringify({ ...(JSON.parse(current.custom) as object), ...frame.custom })
        : undefined;
      await db
        .updateTable('visitors')
        .set(
          compact({
            page: frame.page,
            referrer: frame.referrer,
            language: frame.language,
            timezone: frame.timezone,
            custom,
            updated_at: now(),
          }),
        )
        .where('id', '=', principal.visitorId)
        .execute();
    },
  };
}

export type Requests = ReturnType<typeof createRequests>;
