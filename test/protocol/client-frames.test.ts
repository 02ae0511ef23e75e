import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientFrameSchemas,
  decodeClientFrame,
  limits,
  PROTOCOL_VERSION,
  serverFrameSchemas,
  validateClientFrame,
  type ClientFrameType,
  type Decoded,
} from '../../src/protocol/index.js';
import { blank, clientFrameArbitraries, nonBlank } from './arbitraries.js';
import {
  acceptedKinds,
  applyEdits,
  checkMutation,
  editArbitrary,
  everySchema,
  expectedCorrelation,
  expectError,
  expectValidErrorFrame,
  expectWellFormedResult,
  hasInvalidCorrelation,
  mutationArbitrary,
  node,
  overFrameLimit,
  parsesAsJson,
  typelessObject,
  type JsonObject,
} from './support.js';

/** Runs per property; per-type properties use fewer since they run once per frame type. */
const RUNS = 500;
const RUNS_PER_TYPE = 120;
/** Each mutation run checks every field of the frame twice, plus one nested value. */
const MUTATION_RUNS_PER_TYPE = 100;

const types = Object.keys(clientFrameSchemas) as ClientFrameType[];
const anyFrame = fc.oneof(...types.map((type) => clientFrameArbitraries[type]));
const anyFrameJson = anyFrame.map((frame) => frame as unknown as JsonObject);

describe('client frames: arbitraries', () => {
  it('has an arbitrary for every client frame type, and none for a type the protocol lacks', () => {
    expect(Object.keys(clientFrameArbitraries).sort()).toEqual(Object.keys(clientFrameSchemas).sort());
  });

  it('knows how to walk every field, at any depth, of every client frame schema', () => {
    for (const schema of Object.values(clientFrameSchemas)) {
      for (const inner of everySchema(node(schema))) expect(acceptedKinds(inner).size).toBeGreaterThan(0);
    }
  });
});

describe('client frames: valid frames round-trip', () => {
  it.for(types)('%s decodes to a deep-equal frame', (type) => {
    fc.assert(
      fc.property(clientFrameArbitraries[type], (frame) => {
        const json = JSON.stringify(frame);
        const decoded = decodeClientFrame(json);
        if (overFrameLimit(json)) {
          expectError(decoded, 'too_large');
          return;
        }
        expect(decoded).toEqual({ ok: true, frame });
        // The HTTP fallback validates already-parsed bodies with the same schemas.
        expect(validateClientFrame(JSON.parse(json))).toEqual({ ok: true, frame });
      }),
      { numRuns: RUNS_PER_TYPE },
    );
  });

  it('strips unknown keys instead of rejecting them', () => {
    fc.assert(
      fc.property(anyFrameJson, fc.string(), fc.jsonValue(), (frame, key, value) => {
        fc.pre(!Object.hasOwn(node(clientFrameSchemas[frame.type as ClientFrameType]).entries!, key));
        const decoded = decodeClientFrame(JSON.stringify({ ...frame, [key]: value }));
        expect(decoded).toEqual({ ok: true, frame });
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts values exactly at the limits', () => {
    const max = (n: number) => 'x'.repeat(n);
    const ids64 = 'a'.repeat(64);
    const frames: JsonObject[] = [
      { type: 'message.send', clientId: ids64, body: max(limits.maxBodyChars) },
      { type: 'message.send', clientId: 'c', body: ` ${'😀'.repeat(limits.maxBodyChars / 2 - 1)} ` },
      { type: 'typing', typing: true, draft: max(limits.maxDraftChars) },
      { type: 'typing', typing: false, draft: '' },
      { type: 'hello', v: 1, role: 'visitor', token: max(16) },
      { type: 'hello', v: 1, role: 'agent', token: max(256), resume: [] },
      {
        type: 'hello',
        v: 1,
        role: 'agent',
        token: max(16),
        resume: Array.from({ length: limits.maxResumePoints }, (_, i) => ({ conversationId: `c${i}`, seq: i })),
      },
      { type: 'survey.submit', ref: 'r', conversationId: 'c', score: 1 },
      { type: 'survey.submit', ref: 'r', conversationId: 'c', score: 5, comment: max(1000) },
      { type: 'history', ref: 'r', conversationId: 'c', afterSeq: 0, limit: 1 },
      { type: 'history', ref: 'r', conversationId: 'c', afterSeq: Number.MAX_SAFE_INTEGER, limit: 300 },
      { type: 'callme.request', ref: 'r', phone: '12345' },
      { type: 'callme.request', ref: 'r', phone: `+${'1'.repeat(32)}` },
      { type: 'callme.request', ref: 'r', phone: '+1 (555) 010-99.00', page: 'https://example.com/' },
      { type: 'offline.message', ref: 'r', email: 'a@b.co', body: 'hi', name: max(120) },
      { type: 'conversation.transfer', ref: 'r', conversationId: 'c', toAgentId: 'a', note: max(500) },
      {
        type: 'visitor.update',
        ref: 'r',
        referrer: '',
        page: `https://example.com/${max(2048 - 20)}`,
        language: max(35),
        timezone: max(64),
        custom: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}${max(62)}`, i % 2 ? max(500) : null])),
      },
    ];
    for (const frame of frames) expect(decodeClientFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('reads a v written as 1.0 as version 1', () => {
    const decoded = decodeClientFrame(`{"type":"hello","v":1.0,"role":"visitor","token":"${'t'.repeat(16)}"}`);
    expect(decoded).toEqual({ ok: true, frame: { type: 'hello', v: 1, role: 'visitor', token: 't'.repeat(16) } });
  });
});

describe('client frames: malformed frames are rejected with a stable code', () => {
  it('rejects text that is not JSON with bad_frame', () => {
    const notJson = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '',
        ' ',
        '{',
        '{"type":"ping",}',
        "{'type':'ping'}",
        'undefined',
        'NaN',
        '\ufeff{}',
        '{"type":"ping"}x',
      ),
    );
    fc.assert(
      fc.property(notJson, (raw) => {
        fc.pre(!parsesAsJson(raw));
        expectError(decodeClientFrame(raw), 'bad_frame');
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects JSON that is not an object with bad_frame', () => {
    const notObject = fc.oneof(
      fc.jsonValue().filter((j) => typeof j !== 'object' || j === null || Array.isArray(j)),
      fc.array(fc.jsonValue({ maxDepth: 2 })),
      fc.constant([{ type: 'ping' }]),
    );
    fc.assert(
      fc.property(notObject, (value) => expectError(decodeClientFrame(JSON.stringify(value)), 'bad_frame')),
      { numRuns: RUNS },
    );
  });

  it('rejects a missing or non-string type with bad_frame, echoing a valid ref/clientId', () => {
    const badType = fc.option(
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.constant({ type: 'ping' })),
      { nil: undefined },
    );
    fc.assert(
      fc.property(typelessObject, badType, (data, type) => {
        const frame = type === undefined ? data : { ...data, type };
        expectError(decodeClientFrame(JSON.stringify(frame)), 'bad_frame', expectedCorrelation(frame));
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects an unknown type with unknown_type, echoing a valid ref/clientId', () => {
    const unknownType = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ minLength: 100, maxLength: 2000 }),
      fc.constantFrom(
        '',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'HELLO',
        'hello ',
        'message',
        ...Object.keys(serverFrameSchemas),
      ),
    );
    fc.assert(
      fc.property(typelessObject, unknownType, (data, type) => {
        fc.pre(!Object.hasOwn(clientFrameSchemas, type));
        const frame = { ...data, type };
        expectError(decodeClientFrame(JSON.stringify(frame)), 'unknown_type', expectedCorrelation(frame));
      }),
      { numRuns: RUNS },
    );
  });

  it.for(types)('%s with a required field removed or any field retyped is bad_frame', (type) => {
    const schema = node(clientFrameSchemas[type]);
    fc.assert(
      fc.property(mutationArbitrary(schema, clientFrameArbitraries[type]), (mutation) =>
        checkMutation(decodeClientFrame, schema, mutation),
      ),
      { numRuns: MUTATION_RUNS_PER_TYPE },
    );
  });

  it.for(['message.send', 'offline.message'] as const)('%s with a blank or over-long body is bad_frame', (type) => {
    const badBody = fc.oneof(
      blank,
      nonBlank(200).map((tail) => 'x'.repeat(limits.maxBodyChars + 1 - tail.length) + tail),
    );
    fc.assert(
      fc.property(clientFrameArbitraries[type], badBody, (frame, body) => {
        const mutated = { ...frame, body };
        const decoded = decodeClientFrame(JSON.stringify(mutated));
        expectError(decoded, 'bad_frame', expectedCorrelation(mutated));
        expect(!decoded.ok && decoded.message).toMatch(new RegExp(`^${type.replace('.', '\\.')}: body `));
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects a hello whose v is another integer with unsupported_version', () => {
    const otherVersion = fc.oneof(fc.integer({ min: -5, max: 10 }), fc.maxSafeInteger()).filter((n) => n !== 1);
    fc.assert(
      fc.property(clientFrameArbitraries.hello, otherVersion, (hello, version) => {
        const json = JSON.stringify({ ...hello, v: version });
        fc.pre(!overFrameLimit(json));
        const decoded = decodeClientFrame(json);
        expectError(decoded, 'unsupported_version');
        expect(!decoded.ok && decoded.message).toContain(`v${PROTOCOL_VERSION}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects a hello whose v is not a safe integer with bad_frame', () => {
    const token = 't'.repeat(16);
    for (const v of ['1.5', '"1"', 'null', '1e400', String(2 ** 53), '[1]', '{}'])
      expectError(decodeClientFrame(`{"type":"hello","v":${v},"role":"visitor","token":"${token}"}`), 'bad_frame');
  });

  it('rejects text longer than maxFrameBytes with too_large, valid frame or not', () => {
    const padded = fc.tuple(anyFrame, fc.integer({ min: 1, max: 5000 })).map(([frame, extra]) => {
      const json = JSON.stringify(frame);
      return json + ' '.repeat(Math.max(0, limits.maxFrameBytes - json.length) + extra);
    });
    const junk = fc.string({ minLength: 1, maxLength: 100 }).map((s) => s.repeat(limits.maxFrameBytes / s.length + 1));
    fc.assert(
      fc.property(fc.oneof(padded, junk), (raw) => {
        expect(raw.length).toBeGreaterThan(limits.maxFrameBytes);
        expectError(decodeClientFrame(raw), 'too_large');
      }),
      { numRuns: 100 },
    );
  });

  it('accepts a valid frame padded to exactly maxFrameBytes', () => {
    fc.assert(
      fc.property(anyFrame, (frame) => {
        const json = JSON.stringify(frame);
        fc.pre(!overFrameLimit(json));
        const raw = json.padEnd(limits.maxFrameBytes, '\n');
        expect(decodeClientFrame(raw)).toEqual({ ok: true, frame });
      }),
      { numRuns: 50 },
    );
  });

  it('rejects raw input that is not a string with bad_frame', () => {
    const ping = '{"type":"ping"}';
    const notString = fc.oneof(
      fc.anything().filter((x) => typeof x !== 'string'),
      fc.constantFrom<unknown>(
        undefined,
        null,
        Buffer.from(ping),
        new TextEncoder().encode(ping),
        new TextEncoder().encode(ping).buffer,
        new String(ping),
        { type: 'ping' },
        [ping],
      ),
    );
    fc.assert(
      fc.property(notString, (raw) => expectError(decodeClientFrame(raw), 'bad_frame')),
      { numRuns: RUNS },
    );
  });

  it('returns an error whose ref/clientId make a valid server error frame', () => {
    // Inputs whose ref/clientId are valid ids or not strings at all (the rest are tested below).
    const rejected = fc.oneof(
      typelessObject,
      fc.tuple(typelessObject, fc.string()).map(([data, type]) => ({ ...data, type })),
      fc
        .tuple(
          anyFrameJson,
          fc.array(editArbitrary(['type', 'body', 'conversationId']), { minLength: 1, maxLength: 3 }),
        )
        .map(([frame, edits]) => applyEdits(frame, edits))
        .filter((data) => !hasInvalidCorrelation(data)),
    );
    fc.assert(
      fc.property(rejected, (data) => {
        const decoded = decodeClientFrame(JSON.stringify(data));
        fc.pre(!decoded.ok);
        expectValidErrorFrame(decoded);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('client frames: robustness', () => {
  const knownKeys = [...new Set(Object.values(clientFrameSchemas).flatMap((s) => Object.keys(node(s).entries!)))];
  const mutatedFrame = fc
    .tuple(anyFrameJson, fc.array(editArbitrary(knownKeys), { minLength: 1, maxLength: 5 }))
    .map(([frame, edits]) => applyEdits(frame, edits));
  const mutatedText = fc
    .tuple(anyFrame, fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 3 }))
    .map(([frame, at, cut, insert]) => {
      const json = JSON.stringify(frame);
      const i = at % (json.length + 1);
      return json.slice(0, i) + insert + json.slice(i + cut);
    });
  const raw = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.json(),
    fc.jsonValue().map((j) => JSON.stringify(j)),
    mutatedFrame.map((j) => JSON.stringify(j)),
    mutatedText,
  );

  it('never throws on any string, and returns ok or a known code', () => {
    fc.assert(
      fc.property(raw, (text) => {
        let decoded: Decoded<unknown> | undefined;
        expect(() => (decoded = decodeClientFrame(text))).not.toThrow();
        expectWellFormedResult(decoded!);
        if (decoded!.ok) {
          // Whatever it accepts is a frame of a known type that decodes to itself again.
          const frame = decoded!.frame as { type: string };
          expect(Object.keys(clientFrameSchemas)).toContain(frame.type);
          expect(decodeClientFrame(JSON.stringify(frame))).toEqual(decoded);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('validateClientFrame never throws on any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), mutatedFrame), (value) => {
        let decoded: Decoded<unknown> | undefined;
        expect(() => (decoded = validateClientFrame(value))).not.toThrow();
        expectWellFormedResult(decoded!);
      }),
      { numRuns: RUNS },
    );
  });

  it('ignores prototype keys in custom data without polluting Object.prototype', () => {
    const raw = '{"type":"visitor.update","ref":"r","custom":{"__proto__":{"polluted":1},"constructor":2,"k":"v"}}';
    const decoded = decodeClientFrame(raw);
    expect(decoded).toEqual({ ok: true, frame: { type: 'visitor.update', ref: 'r', custom: { k: 'v' } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('client frames: correlation and custom data', () => {
  // The error frame's ref/clientId must be valid ids, or the client would reject the server's own error.
  it('echoes only valid ids as ref/clientId, so the error frame is valid', () => {
    for (const bad of ['', 'a b', 'é', '../x', '"', 'x'.repeat(64).replace('x', '.')]) {
      const decoded = decodeClientFrame(JSON.stringify({ type: 'conversation.take', ref: bad, clientId: bad }));
      expectValidErrorFrame(decoded);
      expectError(decoded, 'bad_frame', {});
    }
  });

  // valibot's record() alone accepts arrays; the schema checks for a plain object first.
  it('refuses page URLs that are not http(s), since agents see them as links', () => {
    for (const page of [
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
    ]) {
      expectError(decodeClientFrame(JSON.stringify({ type: 'visitor.update', ref: 'r', page })), 'bad_frame', {
        ref: 'r',
      });
    }
  });

  it('rejects custom data that is an array', () => {
    expectError(decodeClientFrame('{"type":"visitor.update","ref":"r","custom":["a",1]}'), 'bad_frame', { ref: 'r' });
  });
});
