/** `--demo`: one demo account, widget and agent, created once and remembered in `<data>/demo.json`. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createAccount, createAgent, createWidget } from './provision.js';
import type { Database } from './store/schema.js';

export interface DemoInfo {
  widgetId: string;
  /** The widget secret the site's backend signs identity tokens with (see README, identify). */
  identitySecret: string;
  agent: { email: string; password: string };
  urls: { demoPage: string; hub: string; snippet: string; health: string };
}

function urlsFor(baseUrl: string, widgetId: string): DemoInfo['urls'] {
  return {
    demoPage: `${baseUrl}/examples/index.html?widget=${widgetId}`,
    hub: `${baseUrl}/hub`,
    snippet: `${baseUrl}/snippet.js`,
    health: `${baseUrl}/healthz`,
  };
}

/** Reuses the demo of an earlier start when its widget is still in the store. */
export async function ensureDemo(
  db: Kysely<Database>,
  dataDir: string,
  baseUrl: string,
  port: number,
): Promise<DemoInfo> {
  const file = join(dataDir, 'demo.json');
  if (existsSync(file)) {
    const earlier = JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
    const widget = await db
      .selectFrom('widgets')
      .select('secret')
      .where('id', '=', earlier.widgetId)
      .executeTakeFirst();
    if (widget) {
      const info = { ...earlier, identitySecret: widget.secret, urls: urlsFor(baseUrl, earlier.widgetId) };
      writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
      return info;
    }
  }
  const accountId = await createAccount(db, 'Demo');
  const widgetId = await createWidget(db, accountId, {
    name: 'Demo widget',
    allowedOrigins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    settings: {
      theme: { color: '#2f6fed', position: 'right' },
      proactive: [{ message: 'Hi! Questions about Parley? Ask us here.', delayMs: 5000 }],
    },
  });
  const password = randomBytes(12).toString('base64url');
  const email = 'agent@demo.parley.local';
  await createAgent(db, accountId, { email, name: 'Demo Agent', username: 'demo', password, status: 'online' });
  const { secret } = await db
    .selectFrom('widgets')
    .select('secret')
    .where('id', '=', widgetId)
    .executeTakeFirstOrThrow();
  const info: DemoInfo = {
    widgetId,
    identitySecret: secret,
    agent: { email, password },
    urls: urlsFor(baseUrl, widgetId),
  };
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  return info;
}
