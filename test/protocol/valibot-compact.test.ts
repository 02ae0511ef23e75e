// The widget's build swaps src/protocol/valibot-compact.ts in for valibot. These properties load the
// protocol twice, once over each, and require the same verdict, output and error code for valid
// frames, randomly edited frames and hand-picked edge cases: the visitor's bundle judges frames
// exactly as the server and the Hub do.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import * as withValibot from '../../src/protocol/index.js';
import type { ClientFrameType, Decoded, ServerFrameType } from '../../src/protocol/index.js';
import { clientFrameArbitraries, email, serverFrameArbitraries, url } from './arbitraries.js';
import { applyEdits, editArbitrary, node, type Json, type JsonObject } from './support.js';

vi.resetModules();
vi.doMock('valibot', () => import('../../src/protocol/valibot-compact.js'));
const withCompact = await import('../../src/protocol/index.js');

const RUNS_PER_TYPE = 150;

/** The parts of a decode that must agree: everything but the wording of a failure. */
function verdict(decoded: Decoded<unknown>): unknown {
  if (decoded.ok) return decoded;
  const { message, ...rest } = decoded;
  expect(message.length).toBeGreaterThan(0);
  return rest;
}

const serverTypes = Object.keys(withValibot.visitorServerFrameSchemas) as ServerFrameType[];
const clientTypes = Object.keys(withValibot.visitorClientFrameSchemas) as ClientFrameType[];

const sides = [
  {
    name: 'frames a visitor receives',
    types: serverTypes,
    arbitrary: (type: string) => serverFrameArbitraries[type as ServerFrameType] as fc.Arbitrary<unknown>,
    judge: (decode: typeof withValibot, data: Json) => decode.decodeVisitorServerFrame(JSON.stringify(data)),
  },
  {
    name: 'frames a visitor sends',
    types: clientTypes,
    arbitrary: (type: string) => clientFrameArbitraries[type as ClientFrameType] as fc.Arbitrary<unknown>,
    judge: (decode: typeof withValibot, data: Json) => decode.validateVisitorClientFrame(data),
  },
];

it('loads the protocol once over each implementation', () => {
  expect('~run' in withValibot.visitorServerFrameSchemas.message).toBe(true);
  expect('~run' in withCompact.visitorServerFrameSchemas.message).toBe(false);
});

describe.each(sides)('the compact schemas judge $name as valibot does', ({ types, arbitrary, judge }) => {
  const same = (data: Json) => expect(verdict(judge(withCompact, data))).toEqual(verdict(judge(withValibot, data)));

  it.for(types)('%s: valid frames decode to the same frame', (type) => {
    fc.assert(
      fc.property(arbitrary(type), (frame) => {
        const decoded = judge(withCompact, frame as Json);
        expect(decoded.ok).toBe(true);
        expect(decoded).toEqual(judge(withValibot, frame as Json));
      }),
      { numRuns: RUNS_PER_TYPE },
    );
  });

  it.for(types)('%s: edited frames get the same verdict and output', (type) => {
    const schema = node(
      (withValibot.serverFrameSchemas as Record<string, unknown>)[type] ??
        withValibot.clientFrameSchemas[type as ClientFrameType],
    );
    const keys = Object.keys(schema.entries!);
    fc.assert(
      fc.property(arbitrary(type), fc.array(editArbitrary(keys), { minLength: 1, maxLength: 4 }), (frame, edits) => {
        same(applyEdits(frame as JsonObject, edits));
      }),
      { numRuns: RUNS_PER_TYPE },
    );
  });
});

describe('the compact schemas at the edges', () => {
  const message = (body: Json, extra: JsonObject = {}) => ({
    type: 'message',
    conversationId: 'c1',
    seq: 1,
    at: 1,
    id: 'm1',
    author: { role: 'agent', name: 'Ada' },
    body,
    ...extra,
  });
  const assigned = (avatarUrl: Json) => ({
    type: 'conversation.assigned',
    conversationId: 'c1',
    seq: 2,
    at: 2,
    agent: { id: 'a1', name: 'Ada', avatarUrl },
  });
  const offline = (address: Json) => ({ type: 'offline.message', email: address, body: 'Hello' });
  const cases: [string, Json][] = [
    ['a blank body', message(' \n\t ')],
    ['a body at the limit', message('x'.repeat(withValibot.limits.maxBodyChars))],
    ['a body over the limit', message('x'.repeat(withValibot.limits.maxBodyChars + 1))],
    ['a seq that is not a safe integer', message('hi', { seq: 2 ** 53 })],
    ['a negative seq', message('hi', { seq: -1 })],
    ['a fractional seq', message('hi', { seq: 1.5 })],
    ['an unknown author role', message('hi', { author: { role: 'bot' } })],
    ['an id with a space', message('hi', { id: 'm 1' })],
    ['an empty id', message('hi', { id: '' })],
    ['a 65-character id', message('hi', { id: 'm'.repeat(65) })],
    ['a javascript: avatar', assigned('javascript:alert(1)')],
    ['a data: avatar', assigned('data:text/html,hi')],
    ['a relative avatar', assigned('/me.png')],
    ['an https avatar', assigned('https://example.com/me.png')],
    ['an avatar that is not a URL', assigned('https://')],
    ['an array for an object', { type: 'availability', online: [] }],
    ['null for a boolean', { type: 'availability', online: null }],
    ['an error with an unknown code', { type: 'error', code: 'nope', message: 'x' }],
    ['a queue position of 0', { type: 'queue.position', conversationId: 'c1', position: 0 }],
    ['an email without a dot in the domain', offline('ada@example')],
    ['an email with a one-letter top level', offline('ada@example.c')],
    ['an email with two dots', offline('ada..b@example.com')],
    ['an email in capitals', offline('ADA@EXAMPLE.COM')],
    ['an email over 254 characters', offline(`${'a'.repeat(250)}@example.com`)],
    ['custom data with an array', { type: 'visitor.update', custom: [] }],
    ['custom data with a nested object', { type: 'visitor.update', custom: { plan: { tier: 1 } } }],
    ['custom data with a long key', { type: 'visitor.update', custom: { ['k'.repeat(65)]: 1 } }],
    [
      'custom data with 51 keys',
      { type: 'visitor.update', custom: Object.fromEntries([...Array(51).keys()].map((i) => [`k${i}`, i])) },
    ],
    [
      'custom data with a __proto__ key',
      { type: 'visitor.update', custom: JSON.parse('{"__proto__":1,"plan":"pro"}') as Json },
    ],
  ];

  it.each(cases)('%s', (_name, data) => {
    const judge = (decode: typeof withValibot) =>
      (data as JsonObject).type === 'offline.message' || (data as JsonObject).type === 'visitor.update'
        ? decode.validateVisitorClientFrame(data)
        : decode.decodeVisitorServerFrame(JSON.stringify(data));
    expect(verdict(judge(withCompact))).toEqual(verdict(judge(withValibot)));
  });

  it('takes and refuses the same emails and URLs', () => {
    const loose = fc.oneof(email, fc.emailAddress(), fc.string({ maxLength: 30 }), url, fc.webUrl());
    fc.assert(
      fc.property(loose, (text) => {
        for (const frame of [offline(text), assigned(text)]) {
          const json = JSON.stringify(frame);
          const judge = (decode: typeof withValibot) =>
            frame.type === 'offline.message'
              ? decode.validateVisitorClientFrame(frame)
              : decode.decodeVisitorServerFrame(json);
          expect(verdict(judge(withCompact))).toEqual(verdict(judge(withValibot)));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('names the field at fault in its message', () => {
    const decoded = withCompact.decodeVisitorServerFrame(JSON.stringify(message('hi', { seq: -1 })));
    expect(decoded).toMatchObject({
      ok: false,
      code: 'bad_frame',
      message: expect.stringContaining('message: seq') as string,
    });
  });
});
