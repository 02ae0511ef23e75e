/**
 * Scenario 5: the real `parley serve` process is SIGKILLed while a visitor (the demo page) and an
 * agent (the Hub) are connected, both keep writing while it is down, and it restarts on the same
 * data folder and port. Both reconnect by themselves; no acknowledged message is lost or shown
 * twice, and both sides end with exactly the store's log.
 */
import { expect, it } from 'vitest';
import { openStore } from '../../src/server/store/open.js';
import { freePort, killChildServers, startChildServer } from '../server/child-server.js';
import { storageFor } from '../server/harness.js';
import { describeInChromium } from './support/chromium.js';
import { useWorld, eventually } from './support/world.js';

/** The store's messages of the one conversation, as the UIs print them. */
async function storedLog(dataDir: string): Promise<string[]> {
  const store = await openStore({ dataDir });
  try {
    const rows = await store.db
      .selectFrom('messages')
      .select(['author_role', 'body'])
      .where('kind', '=', 'message')
      .orderBy('conversation_key')
      .orderBy('seq')
      .execute();
    return rows.map((row) => `${row.author_role}: ${row.body}`);
  } finally {
    await store.close();
  }
}

describeInChromium('a server restart in Chromium', () => {
  const world = useWorld();

  it('reconnects both sides after SIGKILL and loses or repeats no message', async () => {
    const storage = await storageFor('sqlite');
    world.defer(() => storage.cleanup());
    world.defer(() => killChildServers());
    const options = { port: await freePort(), dataDir: storage.dataDir };
    const first = await startChildServer(options);
    const { widgetId, agent } = first.demo;

    const hub = await world.hub(agent, first.url);
    const visitor = await world.visitor(`${first.url}/examples/index.html?widget=${widgetId}`);
    await visitor.openChat();
    await visitor.send('v1 before the crash');
    await hub.chatLinks.first().waitFor();
    await hub.openChat();
    await hub.send('a1 before the crash');
    const before = ['visitor: v1 before the crash', 'agent: a1 before the crash'];
    // The demo widget's invitation (after 5 s) is skipped once a chat is under way; it would be a `team:` line.
    await eventually(() => visitor.transcript()).toEqual(before);
    await eventually(() => hub.timeline()).toEqual(before);

    await first.kill();
    await visitor.send('v2 while the server is down');
    await hub.send('a2 while the server is down');
    const restarted = await startChildServer(options);
    expect(restarted.pid).not.toBe(first.pid);

    // Each side's own write waited in its outbox; the other side's arrives after the reconnect.
    const during = ['agent: a2 while the server is down', 'visitor: v2 while the server is down'];
    await eventually(async () => (await hub.timeline()).slice(2).sort(), 30_000).toEqual(during);
    await eventually(async () => (await visitor.transcript()).slice(2).sort(), 30_000).toEqual(during);
    const stored = await storedLog(options.dataDir);
    expect(stored.slice(0, 2)).toEqual(before);
    expect(await visitor.transcript()).toEqual(stored);
    expect(await hub.timeline()).toEqual(stored);

    await visitor.send('v3 after the restart');
    await hub.send('a3 after the restart');
    await eventually(() => hub.timeline()).toEqual([
      ...stored,
      'visitor: v3 after the restart',
      'agent: a3 after the restart',
    ]);
    await eventually(() => visitor.transcript()).toEqual(await hub.timeline());
    expect(await storedLog(options.dataDir)).toEqual(await hub.timeline());
  });
});
