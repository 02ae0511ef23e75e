/**
 * Sessions: visitor sessions (created only on request, after consent) and agent logins. Tokens
 * are returned once and stored hashed; ending a session tells its live connections to close.
 */
import { hash, verify } from '@node-rs/argon2';
import { ParleyError } from '../../protocol/index.js';
import { topics } from '../bus/index.js';
import {
  agentInfo,
  type AgentPrincipal,
  type Principal,
  type ServiceContext,
  type VisitorPrincipal,
} from './context.js';
import { hashToken, newId, newToken, roleOfToken } from './ids.js';

/** Agent sessions last 30 days unless ended. */
const AGENT_SESSION_MS = 30 * 24 * 3600 * 1000;

/** Hashed once at start-up: unknown emails are verified against it so timing does not tell. */
let decoyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  // argon2id with @node-rs/argon2's defaults (19 MiB, t=2, p=1): OWASP's recommended floor.
  return hash(password);
}

export function createSessions(ctx: ServiceContext) {
  const { db, bus, now } = ctx;

  async function widgetOf(widgetId: string) {
    const widget = await db.selectFrom('widgets').selectAll().where('id', '=', widgetId).executeTakeFirst();
    if (!widget) throw new ParleyError('not_found', 'unknown widget');
    return widget;
  }

  return {
    widgetOf,

    /** Starts an anonymous visitor on a widget and returns its token (shown once). */
    async createVisitorSession(widgetId: string): Promise<{ token: string; visitorId: string; sessionId: string }> {
      await widgetOf(widgetId);
      const token = newToken('visitor');
      const at = now();
      const visitorId = newId();
      const sessionId = newId();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('visitors')
          .values({ id: visitorId, widget_id: widgetId, verified: 0, custom: '{}', created_at: at, updated_at: at })
          .execute();
        await trx
          .insertInto('visitor_sessions')
          .values({
            id: sessionId,
            visitor_id: visitorId,
            widget_id: widgetId,
            token_hash: hashToken(token),
            created_at: at,
          })
          .execute();
      });
      return { token, visitorId, sessionId };
    },

    /** Resolves a token to its principal; unknown, ended or expired tokens are `unauthorized`. */
    async authenticate(token: string, role?: 'visitor' | 'agent'): Promise<Principal> {
      const tokenRole = roleOfToken(token);
      if (!tokenRole || (role && role !== tokenRole))
        throw new ParleyError('unauthorized', 'the token is not valid for this role');
      const tokenHash = hashToken(token);
      if (tokenRole === 'visitor') {
        const row = await db
          .selectFrom('visitor_sessions as s')
          .innerJoin('widgets as w', 'w.id', 's.widget_id')
          .select(['s.id', 's.visitor_id', 's.widget_id', 's.ended_at', 'w.account_id'])
          .where('s.token_hash', '=', tokenHash)
          .executeTakeFirst();
        if (!row || row.ended_at !== null) throw new ParleyError('unauthorized', 'the session is unknown or ended');
        return {
          role: 'visitor',
          sessionId: row.id,
          visitorId: row.visitor_id,
          widgetId: row.widget_id,
          accountId: row.account_id,
        } satisfies VisitorPrincipal;
      }
      const row = await db
        .selectFrom('agent_sessions as s')
        .innerJoin('agents as a', 'a.id', 's.agent_id')
        .select([
          's.id as session_id',
          's.ended_at',
          's.expires_at',
          'a.id',
          'a.name',
          'a.username',
          'a.avatar_url',
          'a.account_id',
        ])
        .where('s.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row || row.ended_at !== null || row.expires_at <= now())
        throw new ParleyError('unauthorized', 'the session is unknown, ended or expired');
      return {
        role: 'agent',
        sessionId: row.session_id,
        agentId: row.id,
        accountId: row.account_id,
        info: agentInfo(row),
      } satisfies AgentPrincipal;
    },

    /** Ends a visitor session (clearAll): the token is dead and its sockets close. */
    async endVisitorSession(principal: VisitorPrincipal): Promise<void> {
      await db.updateTable('visitor_sessions').set({ ended_at: now() }).where('id', '=', principal.sessionId).execute();
      bus.publish(topics.session(principal.sessionId), { kind: 'session-ended', reason: 'cleared' });
    },

    /** Email and password login. The error never tells whether the email exists. */
    async login(email: string, password: string): Promise<{ token: string; principal: AgentPrincipal }> {
      const agent = await db
        .selectFrom('agents')
        .selectAll()
        .where('email', '=', email.trim().toLowerCase())
        .executeTakeFirst();
      decoyHash ??= hashPassword(newId());
      const valid = await verify(agent?.password_hash ?? (await decoyHash), password).catch(() => false);
      if (!agent || !valid) throw new ParleyError('unauthorized', 'email or password is wrong');
      const token = newToken('agent');
      const at = now();
      const sessionId = newId();
      await db
        .insertInto('agent_sessions')
        .values({
          id: sessionId,
          agent_id: agent.id,
          token_hash: hashToken(token),
          created_at: at,
          expires_at: at + AGENT_SESSION_MS,
        })
        .execute();
      return {
        token,
        principal: { role: 'agent', sessionId, agentId: agent.id, accountId: agent.account_id, info: agentInfo(agent) },
      };
    },

    /** Logs out this session, or every session of the agent ("log out everywhere"). */
    async logout(principal: AgentPrincipal, everywhere: boolean): Promise<number> {
      const open = await db
        .selectFrom('agent_sessions')
        .select('id')
        .where(everywhere ? 'agent_id' : 'id', '=', everywhere ? principal.agentId : principal.sessionId)
        .where('ended_at', 'is', null)
        .execute();
      if (open.length === 0) return 0;
      await db
        .updateTable('agent_sessions')
        .set({ ended_at: now() })
        .where(
          'id',
          'in',
          open.map((row) => row.id),
        )
        .execute();
      for (const row of open) bus.publish(topics.session(row.id), { kind: 'session-ended', reason: 'logout' });
      return open.length;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
