/**
 * The Origin allow-list: each widget names the page origins that may embed it ("*" allows any).
 * Agents' connections must come from the server's own origin (the Hub). Requests without an
 * Origin header come from non-browser clients (scripts, the Node client) and are not checked.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

const CACHE_MS = 30_000;

export interface OriginPolicy {
  /** True when `origin` may use `widgetId`; an unknown widget allows nothing. */
  widgetAllows(widgetId: string, origin: string | undefined): Promise<boolean>;
  /** True when `origin` is absent or the server's own, judged from the request's Host. */
  isSelf(origin: string | undefined, headers: IncomingHttpHeaders): boolean;
}

export function createOriginPolicy(db: Kysely<Database>, now: () => number = Date.now): OriginPolicy {
  const cache = new Map<string, { origins: string[] | undefined; until: number }>();

  async function originsOf(widgetId: string): Promise<string[] | undefined> {
    const cached = cache.get(widgetId);
    if (cached && cached.until > now()) return cached.origins;
    const row = await db.selectFrom('widgets').select('allowed_origins').where('id', '=', widgetId).executeTakeFirst();
    const origins = row ? (JSON.parse(row.allowed_origins) as string[]) : undefined;
    if (cache.size > 10_000) cache.clear();
    cache.set(widgetId, { origins, until: now() + CACHE_MS });
    return origins;
  }

  return {
    async widgetAllows(widgetId, origin) {
      const origins = await originsOf(widgetId);
      if (!origins) return false;
      return origin === undefined || origins.includes('*') || origins.includes(origin);
    },
    isSelf(origin, headers) {
      if (origin === undefined) return true;
      const host = headers.host;
      return origin === `http://${String(host)}` || origin === `https://${String(host)}`;
    },
  };
}
