/** What every service needs: the store, the bus, the clock and the settings that shape behaviour. */
import type { Kysely } from 'kysely';
import type { AgentInfo } from '../../protocol/index.js';
import type { Bus } from '../bus/index.js';
import type { Database } from '../store/schema.js';

export interface ServiceContext {
  db: Kysely<Database>;
  bus: Bus;
  now: () => number;
  presenceGraceMs: number;
}

/** Who is acting: a visitor session or an agent session, resolved from a token. */
export type Principal =
  | { role: 'visitor'; sessionId: string; visitorId: string; widgetId: string; accountId: string }
  | { role: 'agent'; sessionId: string; agentId: string; accountId: string; info: AgentInfo };

export type VisitorPrincipal = Extract<Principal, { role: 'visitor' }>;
export type AgentPrincipal = Extract<Principal, { role: 'agent' }>;

/** Drops undefined and null fields so frames omit what has no value rather than inventing one. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const value = record[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out as T;
}

export function agentInfo(row: {
  id: string;
  name: string;
  username: string | null;
  avatar_url: string | null;
}): AgentInfo {
  return compact({
    id: row.id,
    name: row.name,
    username: row.username ?? undefined,
    avatarUrl: row.avatar_url ?? undefined,
  });
}
