/**
 * Bounded queues per connection (src/server/gateway): a client that stops reading is closed with
 * 1013 "slow_consumer" once its unsent output passes the configured bound, without touching any
 * other connection, and a client that sends faster than it is answered is slowed down (the server
 * stops reading it for a while) without a frame lost or answered out of order. The bounds are
 * the gateway's, not the store's, so one store is enough here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { limits, type ServerFrame } from '../../src/protocol/index.js';
import type { ParleyClient } from '../../src/transport/index.js';
import {
  agentClient,
  createVisitorSession,
  openWatchedChat,
  rawConnection,
  recordSequenced,
  startTestServer,
  waitFor,
  type TestServer,
} from './harness.js';

describe('bounded queues per connection', () => {
  let server: TestServer | undefined;
  const clients: ParleyClient[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const client of clients.splice(0)) client.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
    await server?.close();
    server = undefined;
  });

  it('closes a client that stops reading with 1013 slow_consumer while the others chat on', async () => {
    const bound = 256 * 1024;
    server = await startTestServer({ config: { outboundBufferBytes: bound } });
    const { agent, visitor, agentLog, visitorLog, conversationId } = await openWatchedChat({
      agentUrl: server.url,
      agent: server.agents[0]!,
      visitorUrl: server.url,
      widgetId: server.widgetId,
      greeting: 'Hello',
      track: (client) => clients.push(client),
    });
    // A log of long messages, so each page of history is close to the frame limit.
    const long = 'x'.repeat(limits.maxBodyChars - 8);
    for (let k = 0; k < 16; k++) await visitor.client.send({ body: `${k} ${long}` });

    // The same visitor in a second tab that stops reading, then asks for the log again and again.
    const stuck = await rawConnection(server.url, { role: 'visitor', token: visitor.token });
    cleanups.push(stuck.close);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    stuck.socket.pause();
    const asked = 600;
    for (let k = 0; k < asked; k++) stuck.send({ type: 'history', ref: `page-${k}`, conversationId, afterSeq: 0 });
    await waitFor(
      'the server to give up on the stuck tab',
      () => warn.mock.calls.some(([line]) => String(line).includes('slow consumer')),
      30_000,
    );

    // Everyone else is unaffected: the visitor's other connection and the agent chat on.
    const seen = agentLog.messages().length;
    await visitor.client.send({ body: 'Still there?' });
    await agent.client.send({ conversationId, body: 'Yes, still here.' });
    await waitFor('both messages on both sides', () =>
      [agentLog.messages(), visitorLog.messages()].every((messages) => messages.includes('Yes, still here.')),
    );
    expect(agentLog.messages().slice(seen)).toEqual(['Still there?', 'Yes, still here.']);

    // The stuck tab, reading again, finds what was sent before the bound and then the close.
    stuck.socket.resume();
    expect(await stuck.closed).toEqual({ code: 1013, reason: 'slow_consumer' });
    const pages = stuck.received.filter((frame) => frame.type === 'history.result');
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.length).toBeLessThan(asked);
  });

  it('ends the event stream of an HTTP-fallback client that stops reading, and no other', async () => {
    const bound = 256 * 1024;
    server = await startTestServer({ config: { outboundBufferBytes: bound } });
    const agent = await agentClient(server.url, server.agents[0]!);
    clients.push(agent.client);
    const agentLog = recordSequenced(agent.client);
    await agent.client.connect();
    const { token } = await createVisitorSession(server.url, server.widgetId);
    const visitor = await rawConnection(server.url, { role: 'visitor', token });
    cleanups.push(visitor.close);
    visitor.send({ type: 'message.send', clientId: 'open', body: 'Hello' });
    const [opened] = await visitor.answers('open', 1);
    const conversationId = (opened as { conversationId: string }).conversationId;
    await waitFor('the assignment', () => agentLog.frames.some((frame) => frame.type === 'conversation.assigned'));

    // The agent's second window, on the event stream, stops reading while the visitor types on.
    const stream = await fetch(`${server.url}/v1/stream`, {
      method: 'POST',
      body: JSON.stringify({ type: 'hello', v: 1, role: 'agent', token: agent.token }),
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const draft = 'y'.repeat(limits.maxDraftChars);
    const typed = 6000;
    for (let k = 0; k < typed; k++)
      visitor.send({
        type: 'typing',
        conversationId,
        typing: true,
        draft: `${k} ${draft}`.slice(0, limits.maxDraftChars),
      });
    await waitFor(
      'the server to give up on the stuck stream',
      () => warn.mock.calls.some(([line]) => String(line).includes('slow consumer')),
      30_000,
    );

    // The agent's WebSocket and the visitor carry on.
    visitor.send({ type: 'message.send', clientId: 'after', conversationId, body: 'Anyone?' });
    await waitFor('the message to reach the agent', () => agentLog.messages().includes('Anyone?'));

    // Read again, the stream holds what was sent before the bound, and then it ends.
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const typingFrames = text.split('\n').filter((line) => line.startsWith('data: {"type":"typing"')).length;
    expect(typingFrames).toBeGreaterThan(0);
    expect(typingFrames).toBeLessThan(typed);
  });

  it('answers every one of thousands of frames sent without waiting, in order', async () => {
    server = await startTestServer();
    const { token } = await createVisitorSession(server.url, server.widgetId);
    const eager = await rawConnection(server.url, { role: 'visitor', token });
    cleanups.push(eager.close);
    const count = 3000;
    for (let t = 0; t < count; t++) eager.send({ type: 'ping', t });
    const pongs = (): ServerFrame[] => eager.received.filter((frame) => frame.type === 'pong');
    await eager.until(`${count} pongs`, () => (pongs().length >= count ? true : undefined), 30_000);
    expect(pongs().map((frame) => (frame as { t?: number }).t)).toEqual(Array.from({ length: count }, (_, t) => t));
    // Still a working connection afterwards.
    eager.send({ type: 'message.send', clientId: 'after-the-pings', body: 'Still working?' });
    const [answer] = await eager.answers('after-the-pings', 1);
    expect(answer).toMatchObject({ type: 'message.ack', seq: 2 });
  });
});
