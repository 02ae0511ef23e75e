import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientFrameSchemas,
  decodeServerFrame,
  isSequenced,
  limits,
  sequencedFrameSchemas,
  serverFrameSchemas,
  type Decoded,
  type ServerFrame,
  type ServerFrameType,
} from '../../src/protocol/index.js';
import { blank, nonBlank, serverFrameArbitraries } from './arbitraries.js';
import {
  acceptedKinds,
  applyEdits,
  checkMutation,
  editArbitrary,
  everySchema,
  expectedCorrelation,
  expectError,
  expectWellFormedResult,
  mutationArbitrary,
  node,
  overFrameLimit,
  parsesAsJson,
  typelessObject,
  withReplaced,
  type JsonObject,
} from './support.js';

/** Runs per property; per-type properties use fewer since they run once per frame type. */
const RUNS = 500;
const RUNS_PER_TYPE = 100;
/** Each mutation run checks every field of the frame twice, plus one nested value. */
const MUTATION_RUNS_PER_TYPE = 100;

const types = Object.keys(serverFrameSchemas) as ServerFrameType[];
const anyFrame = fc.oneof(...types.map((type) => serverFrameArbitraries[type] as fc.Arbitrary<ServerFrame>));
const anyFrameJson = anyFrame.map((frame) => frame as unknown as JsonObject);

describe('server frames: arbitraries', () => {
  it('has an arbitrary for every server frame type, and none for a type the protocol lacks', () => {
    expect(Object.keys(serverFrameArbitraries).sort()).toEqual(Object.keys(serverFrameSchemas).sort());
  });

  it('knows how to walk every field, at any depth, of every server frame schema', () => {
    for (const schema of Object.values(serverFrameSchemas)) {
      for (const inner of everySchema(node(schema))) expect(acceptedKinds(inner).size).toBeGreaterThan(0);
    }
  });
});

describe('server frames: valid frames round-trip', () => {
  it.for(types)('%s decodes to a deep-equal frame', (type) => {
    fc.assert(
      fc.property(serverFrameArbitraries[type], (frame) => {
        const json = JSON.stringify(frame);
        const decoded = decodeServerFrame(json);
        if (overFrameLimit(json)) expectError(decoded, 'too_large');
        else expect(decoded).toEqual({ ok: true, frame });
      }),
      { numRuns: RUNS_PER_TYPE },
    );
  });

  it('strips unknown keys instead of rejecting them', () => {
    fc.assert(
      fc.property(anyFrameJson, fc.string(), fc.jsonValue(), (frame, key, value) => {
        fc.pre(!Object.hasOwn(node(serverFrameSchemas[frame.type as ServerFrameType]).entries!, key));
        const json = JSON.stringify({ ...frame, [key]: value });
        fc.pre(!overFrameLimit(json));
        expect(decodeServerFrame(json)).toEqual({ ok: true, frame });
      }),
      { numRuns: RUNS },
    );
  });

  it('isSequenced is true exactly for the types of sequencedFrameSchemas', () => {
    fc.assert(
      fc.property(anyFrame, (frame) => {
        expect(isSequenced(frame)).toBe(Object.hasOwn(sequencedFrameSchemas, frame.type));
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts values exactly at the limits', () => {
    const visitor = { id: 'v', verified: false };
    const frames: JsonObject[] = [
      { type: 'welcome', v: 1, role: 'agent', self: { id: 'a' }, heartbeatMs: 1000, conversations: [] },
      { type: 'queue.position', conversationId: 'c', position: 1 },
      { type: 'error', code: 'internal', message: 'm'.repeat(500), ref: 'r'.repeat(64) },
      { type: 'error', code: 'bad_frame', message: '' },
      { type: 'typing', conversationId: 'c', role: 'visitor', typing: true, draft: 'd'.repeat(limits.maxDraftChars) },
      {
        type: 'message',
        conversationId: 'c',
        seq: Number.MAX_SAFE_INTEGER,
        at: 0,
        id: 'm',
        author: { role: 'system' },
        body: 'b'.repeat(limits.maxBodyChars),
      },
      { type: 'queue', items: [{ conversationId: 'c', visitor, since: 0, firstMessage: 'hi' }] },
      {
        type: 'callme',
        request: { id: 'x', visitorId: 'v', phone: 'p'.repeat(32), at: 1, doneAt: 2, page: 'https://e.com/' },
      },
      {
        type: 'history.result',
        ref: 'r',
        conversationId: 'c',
        more: true,
        frames: [
          { type: 'conversation.started', conversationId: 'c', seq: 1, at: 1, visitor },
          { type: 'conversation.ended', conversationId: 'c', seq: 2, at: 2, by: 'system' },
        ],
      },
    ];
    for (const frame of frames) expect(decodeServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('rejects values just past the limits', () => {
    const frames: JsonObject[] = [
      { type: 'welcome', v: 1, role: 'agent', self: { id: 'a' }, heartbeatMs: 999, conversations: [] },
      { type: 'queue.position', conversationId: 'c', position: 0 },
      { type: 'error', code: 'internal', message: 'm'.repeat(501) },
      { type: 'error', code: 'no_such_code', message: '' },
      { type: 'ok', ref: 'r'.repeat(65) },
      { type: 'survey.submitted', conversationId: 'c', seq: 1, at: 1, score: 6 },
      { type: 'reload', conversationId: 'c', lastSeq: -1 },
      { type: 'message.ack', clientId: 'c', conversationId: 'c', seq: 1, id: 'm', at: 1.5 },
      // History replays sequenced frames only.
      { type: 'history.result', ref: 'r', conversationId: 'c', more: false, frames: [{ type: 'pong' }] },
      { type: 'history.result', ref: 'r', conversationId: 'c', more: false, frames: [{ type: 'history.result' }] },
    ];
    for (const frame of frames)
      expectError(decodeServerFrame(JSON.stringify(frame)), 'bad_frame', expectedCorrelation(frame));
  });
});

describe('server frames: malformed frames are rejected with a stable code', () => {
  it('rejects text that is not JSON with bad_frame', () => {
    const notJson = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('', '{', '{"type":"pong",}', 'undefined'));
    fc.assert(
      fc.property(notJson, (raw) => {
        fc.pre(!parsesAsJson(raw));
        expectError(decodeServerFrame(raw), 'bad_frame');
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects JSON that is not an object with bad_frame', () => {
    const notObject = fc.oneof(
      fc.jsonValue().filter((j) => typeof j !== 'object' || j === null || Array.isArray(j)),
      fc.array(fc.jsonValue({ maxDepth: 2 })),
    );
    fc.assert(
      fc.property(notObject, (value) => expectError(decodeServerFrame(JSON.stringify(value)), 'bad_frame')),
      { numRuns: RUNS },
    );
  });

  it('rejects a missing or non-string type with bad_frame, echoing a valid ref/clientId', () => {
    const badType = fc.option(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())), {
      nil: undefined,
    });
    fc.assert(
      fc.property(typelessObject, badType, (data, type) => {
        const frame = type === undefined ? data : { ...data, type };
        expectError(decodeServerFrame(JSON.stringify(frame)), 'bad_frame', expectedCorrelation(frame));
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects an unknown type (including client-only types) with unknown_type', () => {
    const unknownType = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', '__proto__', 'constructor', 'valueOf', 'Welcome', ...Object.keys(clientFrameSchemas)),
    );
    fc.assert(
      fc.property(typelessObject, unknownType, (data, type) => {
        fc.pre(!Object.hasOwn(serverFrameSchemas, type));
        const frame = { ...data, type };
        expectError(decodeServerFrame(JSON.stringify(frame)), 'unknown_type', expectedCorrelation(frame));
      }),
      { numRuns: RUNS },
    );
  });

  it.for(types)('%s with a required field removed or any field retyped is bad_frame', (type) => {
    const schema = node(serverFrameSchemas[type]);
    fc.assert(
      fc.property(mutationArbitrary(schema, serverFrameArbitraries[type]), (mutation) =>
        checkMutation(decodeServerFrame, schema, mutation),
      ),
      { numRuns: MUTATION_RUNS_PER_TYPE },
    );
  });

  const bodyPaths = {
    message: ['body'],
    queue: ['items', 0, 'firstMessage'],
    offline: ['request', 'body'],
  } as const;
  it.for(Object.keys(bodyPaths) as (keyof typeof bodyPaths)[])(
    '%s with a blank or over-long body is bad_frame',
    (type) => {
      const path = bodyPaths[type];
      const frames = (serverFrameArbitraries[type] as fc.Arbitrary<unknown>)
        .map((frame) => frame as JsonObject)
        .filter((frame) => type !== 'queue' || (frame.items as unknown[]).length > 0);
      const badBody = fc.oneof(
        blank,
        nonBlank(200).map((tail) => 'x'.repeat(limits.maxBodyChars + 1 - tail.length) + tail),
      );
      fc.assert(
        fc.property(frames, badBody, (frame, body) => {
          const json = JSON.stringify(withReplaced(frame, [...path], body));
          fc.pre(!overFrameLimit(json));
          const decoded = decodeServerFrame(json);
          expectError(decoded, 'bad_frame', expectedCorrelation(frame));
          expect(!decoded.ok && decoded.message.startsWith(`${type}: ${path.join('.')} `)).toBe(true);
        }),
        { numRuns: 200 },
      );
    },
  );

  it('rejects text longer than maxFrameBytes with too_large', () => {
    const padded = fc.tuple(anyFrame, fc.integer({ min: 1, max: 5000 })).map(([frame, extra]) => {
      const json = JSON.stringify(frame);
      return json + '\t'.repeat(Math.max(0, limits.maxFrameBytes - json.length) + extra);
    });
    fc.assert(
      fc.property(padded, (raw) => expectError(decodeServerFrame(raw), 'too_large')),
      { numRuns: 100 },
    );
  });

  it('rejects raw input that is not a string with bad_frame', () => {
    const pong = '{"type":"pong"}';
    const notString = fc.oneof(
      fc.anything().filter((x) => typeof x !== 'string'),
      fc.constantFrom<unknown>(undefined, Buffer.from(pong), new TextEncoder().encode(pong).buffer, { type: 'pong' }),
    );
    fc.assert(
      fc.property(notString, (raw) => expectError(decodeServerFrame(raw), 'bad_frame')),
      { numRuns: RUNS },
    );
  });
});

describe('server frames: robustness', () => {
  const knownKeys = [...new Set(Object.values(serverFrameSchemas).flatMap((s) => Object.keys(node(s).entries!)))];
  const mutatedFrame = fc
    .tuple(anyFrameJson, fc.array(editArbitrary(knownKeys), { minLength: 1, maxLength: 5 }))
    .map(([frame, edits]) => JSON.stringify(applyEdits(frame, edits)));
  const raw = fc.oneof(fc.string({ unit: 'binary' }), fc.json(), mutatedFrame);

  it('never throws on any string, and returns ok or a known code', () => {
    fc.assert(
      fc.property(raw, (text) => {
        let decoded: Decoded<unknown> | undefined;
        expect(() => (decoded = decodeServerFrame(text))).not.toThrow();
        expectWellFormedResult(decoded!);
        if (decoded!.ok) expect(decodeServerFrame(JSON.stringify(decoded!.frame))).toEqual(decoded);
      }),
      { numRuns: 1000 },
    );
  });
});
