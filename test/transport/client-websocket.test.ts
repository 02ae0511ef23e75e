import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError, type ClientFrameOf, type SequencedFrame } from '../../src/protocol/index.js';
import type { ClientErrorEvent, CloseInfo, MessageAck } from '../../src/transport/index.js';
import { FakeServer, until } from './fake-server.js';
import { agentToken, closeClients, next, sleep, testClient, visitorToken } from './support.js';

let server: FakeServer | undefined;

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

describe('client over WebSocket', { timeout: 5000 }, () => {
  it('says hello with its role, token and resume points, and resolves connect with the welcome', async () => {
    server = await FakeServer.start();
    const client = testClient(server, { resume: [{ conversationId: 'c9', seq: 4 }] });
    const states: string[] = [];
    client.on('state', ({ state }) => states.push(state));
    expect(client.state).toBe('idle');

    const welcome = await client.connect();

    expect(welcome).toMatchObject({ type: 'welcome', v: 1, role: 'visitor', heartbeatMs: 1000 });
    expect(client.state).toBe('open');
    expect(client.transport).toBe('websocket');
    expect(states).toEqual(['connecting', 'open']);
    expect(server.hellos).toEqual([
      {
        kind: 'websocket',
        url: '/v1/ws?widget=w1',
        hello: {
          type: 'hello',
          v: 1,
          role: 'visitor',
          token: visitorToken,
          resume: [{ conversationId: 'c9', seq: 4 }],
        },
      },
    ]);
    await expect(client.connect()).resolves.toBe(welcome);
  });

  it('resends unacked frames after a drop, in original order with the same ids, and settles each once', async () => {
    server = await FakeServer.start();
    const client = testClient(server);
    await client.connect();
    const ackEvents: MessageAck[] = [];
    client.on('message.ack', (ack) => ackEvents.push(ack));
    const delivered: string[] = [];
    client.on('message', (message) => delivered.push(`${message.seq}:${message.body}`));

    server.ackMode = 'withhold';
    const one = client.send({ body: 'one' });
    const end = client.request({ type: 'conversation.end', conversationId: 'c1' });
    const two = client.send({ body: 'two' });
    await until(() => server!.received.length === 3, 2000, 'three frames');
    const firstRound = server.received.map(idOf);
    expect(client.pending().map(({ body }) => body)).toEqual(['one', 'two']);

    // The server stored the messages but its acks are lost with the connection.
    server.ackMode = 'double';
    const closed = next<CloseInfo>((handler) => client.on('closed', handler));
    for (const connection of server.connections) connection.kill();
    expect(await closed).toMatchObject({ final: false });
    const three = client.send({ body: 'three' }); // queued while down

    const [ackOne, ok, ackTwo, ackThree] = await Promise.all([one, end, two, three]);

    expect([ackOne.seq, ackTwo.seq, ackThree.seq]).toEqual([1, 2, 3]);
    expect(ok).toMatchObject({ type: 'ok', ref: firstRound[1] });
    const secondRound = server.received.slice(3).map(idOf);
    expect(secondRound).toEqual([...firstRound, ackThree.clientId]);
    // Stored once each although sent twice, and every ack arrived twice: one event each.
    expect(server.storedClientIds()).toEqual([ackOne.clientId, ackTwo.clientId, ackThree.clientId]);
    expect(ackEvents.map((ack) => ack.clientId)).toEqual([ackOne.clientId, ackTwo.clientId, ackThree.clientId]);
    expect(client.pending()).toEqual([]);
    // The sender's own messages come back as sequenced frames: replayed 1-2, live 3, once each.
    await until(() => delivered.length === 3, 2000, 'own messages');
    await sleep(50);
    expect(delivered).toEqual(['1:one', '2:two', '3:three']);
    expect(server.hellos[1]!.hello.resume).toBeUndefined();
  });

  it('delivers sequenced frames in order, drops duplicates, and fills a gap from history', async () => {
    server = await FakeServer.start({ historyPageSize: 2 });
    const client = testClient(server);
    const seqs: number[] = [];
    const sequenced: SequencedFrame[] = [];
    const historyEvents: unknown[] = [];
    client.on('message', (message) => seqs.push(message.seq));
    client.on('sequenced', (frame) => sequenced.push(frame));
    client.on('history.result', (result) => historyEvents.push(result));
    await client.connect();

    const frames = [1, 2, 3, 4, 5, 6].map((n) => server!.agentMessage('c1', `m${n}`));
    // 1, 2, then duplicates, then 5 and 6 ahead of a gap (3 and 4 never come live).
    for (const index of [0, 1, 1, 0, 4, 5, 4]) server.publish(frames[index]!);

    await until(() => seqs.length === 6, 2000, 'six messages');
    await sleep(50);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sequenced.map((frame) => frame.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const historyRequests = server.received.filter((frame) => frame.type === 'history');
    // First page 3-4 (more), buffered 5-6 drain, then one last page finds nothing more.
    expect(historyRequests.map((request) => request.afterSeq)).toEqual([2, 6]);
    expect(historyEvents).toEqual([]); // internal fills are not the app's history results
    expect(client.resumePoints()).toEqual([{ conversationId: 'c1', seq: 6 }]);
  });

  it('starts over on a new link when a history page is unreadable, so the gap still fills', async () => {
    server = await FakeServer.start({ spoilHistory: 1 });
    const client = testClient(server);
    const seqs: number[] = [];
    client.on('message', (message) => seqs.push(message.seq));
    await client.connect();
    const frames = [1, 2, 3, 4].map((n) => server!.agentMessage('c1', `m${n}`));
    for (const index of [0, 3]) server.publish(frames[index]!);
    await until(() => seqs.length === 4, 3000, 'all four messages after the retry');
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(server.hellos.length).toBe(2);
    expect(server.hellos[1]!.hello.resume).toEqual([{ conversationId: 'c1', seq: 1 }]);
  });

  it('answers reload by paging history from the last seen seq and emitting in order', async () => {
    server = await FakeServer.start({ replayLimit: 3, historyPageSize: 2 });
    for (let n = 1; n <= 7; n++) server.agentMessage('c1', `m${n}`);
    const client = testClient(server, { resume: [{ conversationId: 'c1', seq: 1 }] });
    const seqs: number[] = [];
    const reloads: unknown[] = [];
    client.on('message', (message) => seqs.push(message.seq));
    client.on('reload', (reload) => reloads.push(reload));
    await client.connect();

    await until(() => seqs.length === 6, 2000, 'the reloaded range');
    expect(reloads).toEqual([{ type: 'reload', conversationId: 'c1', lastSeq: 7 }]);
    expect(seqs).toEqual([2, 3, 4, 5, 6, 7]);
    const afterSeqs = server.received.flatMap((frame) => (frame.type === 'history' ? [frame.afterSeq] : []));
    expect(afterSeqs).toEqual([1, 3, 5]);
    expect(client.resumePoints()).toEqual([{ conversationId: 'c1', seq: 7 }]);

    // The next link resumes from there: nothing to replay, nothing delivered twice.
    for (const connection of server.connections) connection.kill();
    await until(() => server!.hellos.length === 2 && client.state === 'open', 2000, 'reconnect');
    expect(server.hellos[1]!.hello.resume).toEqual([{ conversationId: 'c1', seq: 7 }]);
    await sleep(50);
    expect(seqs).toHaveLength(6);
  });

  it('resolves requests with their reply, rejects coded errors, and queues them until connected', async () => {
    server = await FakeServer.start();
    server.agentMessage('c1', 'hello');
    const client = testClient(server, { role: 'agent', token: agentToken, widgetId: undefined });
    const queued = client.request({ type: 'agent.status', status: 'online' });
    void client.connect();

    await expect(queued).resolves.toMatchObject({ type: 'ok' });
    const history = await client.request({ type: 'history', conversationId: 'c1', afterSeq: 0 });
    expect(history.frames.map((frame) => frame.seq)).toEqual([1]);
    const missing = client.request({ type: 'conversation.take', conversationId: 'nope' });
    await expect(missing).rejects.toBeInstanceOf(ParleyError);
    await expect(missing).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.send({ body: 'forbidden', conversationId: 'c1' })).rejects.toMatchObject({
      name: 'ParleyError',
      code: 'invalid_state',
    });
    // Refused locally, never sent.
    await expect(client.send({ body: '   ' })).rejects.toMatchObject({ code: 'bad_frame' });
    expect(server.sends().map((frame) => frame.body)).toEqual(['forbidden']);
    expect(server.hellos[0]!.url).toBe('/v1/ws');
  });

  it('reports invalid frames as errors and drops them; a throwing handler breaks nothing', async () => {
    server = await FakeServer.start();
    const client = testClient(server);
    const errors: ClientErrorEvent[] = [];
    const bodies: string[] = [];
    client.on('error', (error) => errors.push(error));
    client.on('message', () => {
      throw new Error('a faulty UI handler');
    });
    client.on('message', (message) => bodies.push(message.body));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await client.connect();

    server.publishRaw('{"type":"message","seq":"x"}');
    server.publishRaw('not json');
    server.publishRaw('{"type":"from.the.future"}');
    server.publish(server.agentMessage('c1', 'still here'));

    await until(() => bodies.length === 1, 2000, 'the valid message');
    expect(errors.map(({ code, local }) => [code, local])).toEqual([
      ['bad_frame', true],
      ['bad_frame', true],
      ['unknown_type', true],
    ]);
    expect(bodies).toEqual(['still here']);
    expect(logged).toHaveBeenCalledWith('[parley] a "message" listener threw', expect.any(Error));
    expect(client.state).toBe('open');
  });

  it('sends typing only while open', async () => {
    server = await FakeServer.start();
    const client = testClient(server);
    expect(client.typing({ typing: true })).toBe(false);
    await client.connect();
    expect(client.typing({ typing: true, draft: 'Hel' })).toBe(true);
    await until(() => server!.received.some((frame) => frame.type === 'typing'), 2000, 'typing');
    expect(server.received.filter((frame) => frame.type === 'typing')).toEqual([
      { type: 'typing', typing: true, draft: 'Hel' },
    ]);
  });
});

function idOf(frame: unknown): string {
  const { clientId, ref } = frame as Partial<ClientFrameOf<'message.send'> & ClientFrameOf<'conversation.end'>>;
  return clientId ?? ref ?? '?';
}
