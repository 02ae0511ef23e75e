/** Creates accounts, widgets and agents: used by `--demo`, by tests and by operators' scripts. */
import type { Kysely } from 'kysely';
import type { Database } from './store/schema.js';
import { newId, newUuid } from './services/ids.js';
import { hashPassword } from './services/index.js';
import { randomBytes } from 'node:crypto';

export interface WidgetSettings {
  theme?: { color?: string; position?: 'right' | 'left' };
  texts?: Record<string, string>;
  proactive?: { message: string; delayMs?: number; path?: string }[];
}

export async function createAccount(db: Kysely<Database>, name: string): Promise<string> {
  const id = newId();
  await db.insertInto('accounts').values({ id, name, created_at: Date.now() }).execute();
  return id;
}

export async function createWidget(
  db: Kysely<Database>,
  accountId: string,
  options: { name: string; allowedOrigins: string[]; settings?: WidgetSettings },
): Promise<string> {
  const id = newUuid();
  await db
    .insertInto('widgets')
    .values({
      id,
      account_id: accountId,
      name: options.name,
      allowed_origins: JSON.stringify(options.allowedOrigins),
      settings: JSON.stringify(options.settings ?? {}),
      secret: randomBytes(32).toString('base64url'),
      created_at: Date.now(),
    })
    .execute();
  return id;
}

export async function createAgent(
  db: Kysely<Database>,
  accountId: string,
  options: {
    email: string;
    name: string;
    password: string;
    username?: string;
    maxChats?: number;
    status?: 'online' | 'paused';
  },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('agents')
    .values({
      id,
      account_id: accountId,
      email: options.email.trim().toLowerCase(),
      name: options.name,
      username: options.username ?? null,
      password_hash: await hashPassword(options.password),
      status: options.status ?? 'paused',
      max_chats: options.maxChats ?? 4,
      created_at: Date.now(),
    })
    .execute();
  return id;
}
