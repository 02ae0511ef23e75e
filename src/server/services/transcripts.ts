/** What agents look up beside their chats: visitor details, past conversations, the inboxes. */
import { sql } from 'kysely';
import { limits, ParleyError, type TranscriptItem, type VisitorDetails } from '../../protocol/index.js';
import { compact, type AgentPrincipal, type ServiceContext } from './context.js';
import { callMeOf, offlineOf } from './requests.js';
import { agentOfRow, conversationRows, visitorInfo, visitorOfRow } from './views.js';

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export function createTranscripts(ctx: ServiceContext) {
  const { db } = ctx;

  return {
    async visitor(principal: AgentPrincipal, visitorId: string): Promise<VisitorDetails> {
      const row = await db
        .selectFrom('visitors as v')
        .innerJoin('widgets as w', 'w.id', 'v.widget_id')
        .selectAll('v')
        .where('v.id', '=', visitorId)
        .where('w.account_id', '=', principal.accountId)
        .executeTakeFirst();
      if (!row) throw new ParleyError('not_found', 'no such visitor');
      return compact({
        ...visitorInfo(row),
        userId: row.user_id ?? undefined,
        page: row.page ?? undefined,
        referrer: row.referrer || undefined,
        language: row.language ?? undefined,
        timezone: row.timezone ?? undefined,
        custom: JSON.parse(row.custom) as VisitorDetails['custom'],
        firstSeen: row.created_at,
      });
    },

    /** Newest first; `before` pages back through older conversations. */
    async search(
      principal: AgentPrincipal,
      filter: { email?: string; text?: string; before?: number; limit?: number },
    ): Promise<{ items: TranscriptItem[]; more: boolean }> {
      const limit = filter.limit ?? limits.transcriptPageLimit;
      let query = conversationRows(db).where('c.account_id', '=', principal.accountId);
      if (filter.email) query = query.where('v.email', '=', filter.email.trim().toLowerCase());
      if (filter.before !== undefined) query = query.where('c.created_at', '<', filter.before);
      if (filter.text) {
        const pattern = likePattern(filter.text);
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('messages as m')
              .select('m.id')
              .whereRef('m.conversation_key', '=', 'c.log_key')
              .where('m.kind', '=', 'message')
              .where(sql<boolean>`lower(m.body) like ${pattern} escape '\\'`),
          ),
        );
      }
      const rows = await query
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map((row) =>
        compact({
          conversationId: row.id,
          status: row.status,
          visitor: visitorOfRow(row),
          agent: agentOfRow(row),
          startedAt: row.created_at,
          endedAt: row.ended_at ?? undefined,
          preview: row.first_message?.trim().slice(0, 200),
        }),
      );
      return { items, more: rows.length > limit };
    },

    /** The newest call-me requests or offline messages; `open` keeps those not yet handled. */
    async requests(principal: AgentPrincipal, kind: 'callme' | 'offline', open: boolean) {
      if (kind === 'callme') {
        let query = db.selectFrom('callme_requests').selectAll().where('account_id', '=', principal.accountId);
        if (open) query = query.where('done_at', 'is', null);
        const rows = await query.orderBy('created_at', 'desc').limit(limits.transcriptPageLimit).execute();
        return { callme: rows.map(callMeOf) };
      }
      let query = db.selectFrom('offline_requests').selectAll().where('account_id', '=', principal.accountId);
      if (open) query = query.where('handled_at', 'is', null);
      const rows = await query.orderBy('created_at', 'desc').limit(limits.transcriptPageLimit).execute();
      return { offline: rows.map(offlineOf) };
    },
  };
}
