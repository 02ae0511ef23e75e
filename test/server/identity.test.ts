import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrameOf } from '../../src/protocol/index.js';
import type { ParleyClient } from '../../src/transport/index.js';
import { agentClient, nextEvent, startTestServer, storeKinds, visitorClient, type TestServer } from './harness.js';

describe.each(storeKinds)('identity verification on %s', (store) => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
  });

  async function setUp() {
    server = await startTestServer({ store });
    const { secret } = await server.server.store.db
      .selectFrom('widgets')
      .select('secret')
      .where('id', '=', server.widgetId)
      .executeTakeFirstOrThrow();
    const visitor = await visitorClient(server.url, server.widgetId);
    clients.push(visitor.client);
    await visitor.client.connect();
    return { secret, visitor };
  }

  const jwt = (secret: string, claims: Record<string, unknown>, expiresIn: string | null = '5m') => {
    const token = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
    if (expiresIn) token.setExpirationTime(expiresIn);
    return token.sign(new TextEncoder().encode(secret));
  };

  const visitorRow = (id: string) =>
    server.server.store.db.selectFrom('visitors').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('stores an identity without proof as unverified, and the agent sees it so', async () => {
    const { visitor } = await setUp();
    await visitor.client.request({ type: 'visitor.identify', email: 'Ada@Example.com', name: 'Ada', userId: 'u-1' });
    expect(await visitorRow(visitor.visitorId)).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      user_id: 'u-1',
      verified: 0,
    });
    const agent = await agentClient(server.url, server.agents[0]!);
    clients.push(agent.client);
    await agent.client.connect();
    const started = nextEvent<ServerFrameOf<'conversation.started'>>(agent.client, 'conversation.started');
    await visitor.client.send({ body: 'hello' });
    expect((await started).visitor).toEqual({
      id: visitor.visitorId,
      name: 'Ada',
      email: 'ada@example.com',
      verified: false,
    });
  });

  it('verifies a JWT signed with the widget secret', async () => {
    const { secret, visitor } = await setUp();
    const token = await jwt(secret, { sub: 'u-42', email: 'grace@example.com', name: 'Grace' });
    await visitor.client.request({ type: 'visitor.identify', userId: 'u-42', identityToken: token });
    expect(await visitorRow(visitor.visitorId)).toMatchObject({
      user_id: 'u-42',
      email: 'grace@example.com',
      name: 'Grace',
      verified: 1,
    });
  });

  it('refuses forged, expired, unexpiring and mismatched JWTs', async () => {
    const { secret, visitor } = await setUp();
    const refused = async (identityToken: string, userId = 'u-42') =>
      expect(visitor.client.request({ type: 'visitor.identify', userId, identityToken })).rejects.toMatchObject({
        code: 'unauthorized',
      });
    await refused(await jwt('not-the-widget-secret-at-all', { sub: 'u-42' }));
    await refused(await jwt(secret, { sub: 'u-42' }, '-1m'));
    await refused(await jwt(secret, { sub: 'u-42' }, null));
    await refused(await jwt(secret, { sub: 'someone-else' }));
    expect(await visitorRow(visitor.visitorId)).toMatchObject({ user_id: null, verified: 0 });
  });

  it('verifies an HMAC of the user id for compatibility, and refuses a wrong one', async () => {
    const { secret, visitor } = await setUp();
    const hmac = createHmac('sha256', secret).update('u-7').digest('hex');
    await expect(
      visitor.client.request({
        type: 'visitor.identify',
        userId: 'u-7',
        identityToken: createHmac('sha256', 'wrong').update('u-7').digest('hex'),
      }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    await visitor.client.request({
      type: 'visitor.identify',
      userId: 'u-7',
      email: 'lin@example.com',
      identityToken: hmac,
    });
    expect(await visitorRow(visitor.visitorId)).toMatchObject({ user_id: 'u-7', verified: 1 });
  });

  it("never unlocks another visitor's conversation through an unverified email", async () => {
    const { visitor: owner } = await setUp();
    await owner.client.request({ type: 'visitor.identify', email: 'owner@example.com' });
    const { conversationId } = await owner.client.send({ body: 'my account number is 1234' });
    const impostor = await visitorClient(server.url, server.widgetId);
    clients.push(impostor.client);
    await impostor.client.connect();
    await impostor.client.request({ type: 'visitor.identify', email: 'owner@example.com' });
    await expect(impostor.client.request({ type: 'history', conversationId, afterSeq: 0 })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const second = await impostor.client.send({ body: 'hi' });
    expect(second.conversationId).not.toBe(conversationId);
  });
});
