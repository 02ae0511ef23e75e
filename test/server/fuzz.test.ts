/**
 * Fuzzing the live WebSocket gateway (DESIGN.md, "Protocol principles": a malformed frame gets a
 * clear error frame or close code, never crashes the server and never affects other sockets).
 *
 * An authenticated visitor socket and an authenticated agent socket receive thousands of random
 * or malformed frames, pipelined: text that is not JSON, JSON of the wrong shape, unknown types,
 * known types with missing, mistyped or oversized fields, strings up to the 64 KiB frame limit,
 * deep nesting, binary frames, a second hello, and well-formed frames that reference other
 * visitors' or nonexistent conversations or that the role may not send. Every one of them must
 * get exactly one coded `error` frame, in order, with the code the contract predicts, and every
 * frame the server sends must match the server-frame schema. Meanwhile a visitor and an agent on
 * the real transport client chat through it: every message is acknowledged, delivered once and
 * in order. Sockets that send junk before hello, and frames over 64 KiB, close only their own
 * socket with the documented codes. The seed is fixed (FUZZ_SEED overrides it, FUZZ_FRAMES sets
 * the frames per socket), so a failure replays.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, type RawData } from 'ws';
import {
  clientFrameSchemas,
  closeCodes,
  decodeClientFrame,
  decodeServerFrame,
  errorCodes,
  limits,
  PROTOCOL_VERSION,
  type ClientFrameType,
  type ErrorCode,
} from '../../src/protocol/index.js';
import type { MessageAck, ParleyClient } from '../../src/transport/index.js';
import { clientFrameArbitraries, id as anyId } from '../protocol/arbitraries.js';
import {
  agentClient,
  createVisitorSession,
  loginAgent,
  recordSequenced,
  startTestServer,
  storeKinds,
  visitorClient,
  waitFor,
  type StoreKind,
  type TestServer,
} from './harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
/** Frames per authenticated socket; two sockets, so 12,000 by default. */
const FRAMES_PER_SOCKET = Number(process.env.FUZZ_FRAMES ?? 6000);
/** Frames sent ahead of their replies on one socket. */
const WINDOW = 128;
/** Messages each way in the concurrent chat. */
const CHAT_MESSAGES = 100;
const MAX_BYTES = limits.maxFrameBytes;
const HELLO_TIMEOUT_MS = 2000;

type Data = string | Buffer;

interface Expected {
  code: ErrorCode;
  ref?: string;
  clientId?: string;
}

interface FuzzCase {
  kind: string;
  data: Data;
  expect: Expected;
}

/** What the server reads from a text frame: the UTF-8 round trip turns lone surrogates into U+FFFD. */
const asReceived = (text: string) => Buffer.from(text, 'utf8').toString('utf8');
const byteLength = (data: Data) => (typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length);
const preview = (data: Data) =>
  typeof data === 'string'
    ? `${JSON.stringify(data.slice(0, 160))}${data.length > 160 ? `… (${data.length} chars)` : ''}`
    : `<binary ${data.length} bytes>`;

/** Correlation as the server copies it into error frames: only non-empty strings. */
function expected(code: ErrorCode, ref?: unknown, clientId?: unknown): Expected {
  return {
    code,
    ...(typeof ref === 'string' && ref ? { ref } : {}),
    ...(typeof clientId === 'string' && clientId ? { clientId } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Frames the decoder must refuse. The expected answer is the shared decoder's verdict on exactly
// the text the server receives; a generated frame that happens to be valid is dropped, so none of
// these can ever succeed on the server.

/** A case the decoder refuses, or undefined when the frame is (accidentally) valid. */
function refused(kind: string, data: Data): FuzzCase | undefined {
  if (byteLength(data) > MAX_BYTES) return undefined;
  const decoded = decodeClientFrame(typeof data === 'string' ? asReceived(data) : undefined);
  if (decoded.ok) return undefined;
  return { kind, data, expect: expected(decoded.code, decoded.ref, decoded.clientId) };
}

const frameTypes = Object.keys(clientFrameSchemas) as ClientFrameType[];
/**
 * Valid frames of a type, from the protocol tests' arbitraries. A type they do not cover yet gets
 * `{ type, ref }`, which is valid when its other fields are optional; cases built from a frame
 * that turns out invalid are dropped (see `wellFormed`), so a new type never breaks this file.
 */
const arbitraryOf = (type: ClientFrameType): fc.Arbitrary<Record<string, unknown>> =>
  (clientFrameArbitraries as Partial<Record<ClientFrameType, fc.Arbitrary<Record<string, unknown>>>>)[type] ??
  fc.record({ type: fc.constant(type), ref: anyId });
const anyValidFrame = fc.oneof(...frameTypes.map(arbitraryOf));
const json = fc.jsonValue({ maxDepth: 3 });
const shortText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }));
/** A ref or clientId as junk may carry it: valid ids, bad characters, too long, not a string. */
const correlationValue = fc.oneof(
  anyId,
  shortText,
  fc.string({ minLength: 65, maxLength: 80 }),
  fc.integer(),
  fc.constant(null),
);
const trickyTypes = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  'HELLO',
  'Hello',
  ' hello',
  'hello ',
  'message.send ',
  'message',
  'welcome',
  'error',
  'ok',
  'pong',
  'message.ack',
  'conversation.',
  '',
  'x'.repeat(5000),
];
const trickyTexts = [
  '',
  ' ',
  '\n',
  'null',
  'true',
  '0',
  '"hello"',
  '[]',
  '{}',
  '{',
  '}',
  '{"type":',
  '{"type":"ping"',
  '\ufeff{"type":"ping"}',
  '{"type":"ping"}{"type":"ping"}',
  '{"type":"ping"},',
  "{'type':'ping'}",
  '{type:"ping"}',
  '{"type":"ping","t":NaN}',
  '{"type":"ping","t":Infinity}',
  '{"type":"ping","t":0x10}',
  '{"type":"ping","t":01}',
  '{"type":"ping","t":1e400}',
  '{"type":"ping","type":"nope"}',
  '{"type":"nope","type":"ping"}',
  '{"__proto__":{"type":"ping"}}',
  '{"constructor":{"prototype":{"type":"ping"}}}',
  '{"type":"hello","v":1e400,"role":"visitor","token":"v_aaaaaaaaaaaaaaaaaaaa"}',
  '{"type":"hello","v":-0.5,"role":"agent","token":"a_aaaaaaaaaaaaaaaaaaaa"}',
  '{"type":"hello","v":"1","role":"visitor","token":"v_aaaaaaaaaaaaaaaaaaaa"}',
  '{"type":"message.send","clientId":"c","body":"   \\u3000\\ufeff "}',
  '{"type":"message.send","clientId":"c","body":"\\u0000"}',
  '{"type":"history","ref":"r","conversationId":"c","afterSeq":-1}',
  '{"type":"history","ref":"r","conversationId":"c","afterSeq":9007199254740992}',
  '{"type":"survey.submit","ref":"r","conversationId":"c","score":2.5}',
  '{"type":"visitor.update","ref":"r","custom":[1,2,3]}',
  '{"type":"visitor.update","ref":"r","page":"javascript:alert(1)"}',
  '{"type":"callme.request","ref":"r","phone":"+1 555 0100\\n"}',
  '{"type":"offline.message","ref":"r","email":"not an email","body":"hi"}',
  '{"type":"typing","typing":"yes"}',
  '{"type":"agent.status","ref":"r","status":"offline"}',
];

/** Breaks a valid frame in one to three places. */
const mutated: fc.Arbitrary<FuzzCase | undefined> = fc
  .tuple(
    anyValidFrame,
    fc.array(
      fc.record({
        op: fc.constantFrom('delete', 'replace', 'oversize', 'retype', 'swapType', 'nullify'),
        pick: fc.nat(),
        value: json,
        size: fc.constantFrom(65, 120, 257, 501, 1001, 2049, 4001, 4097, 20_000, 60_000),
        type: fc.constantFrom(...frameTypes),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([valid, mutations]) => {
    const frame: Record<string, unknown> = { ...valid };
    for (const { op, pick, value, size, type } of mutations) {
      // Values come from fc.jsonValue and may be null-prototype objects: no String() on them.
      const frameType = frame.type;
      const schema =
        typeof frameType === 'string' && Object.hasOwn(clientFrameSchemas, frameType)
          ? clientFrameSchemas[frameType as ClientFrameType]
          : undefined;
      const keys = [...new Set([...Object.keys(frame), ...Object.keys(schema?.entries ?? {})])];
      const key = keys[pick % keys.length] ?? 'type';
      const current = frame[key];
      if (op === 'delete') delete frame[key];
      else if (op === 'replace') frame[key] = value;
      else if (op === 'nullify') frame[key] = null;
      else if (op === 'oversize') frame[key] = 'x'.repeat(size);
      else if (op === 'swapType') frame.type = type;
      else if (typeof current === 'string') frame[key] = current.length > 0 ? Number.NaN : 0;
      else if (typeof current === 'number') frame[key] = String(current);
      else if (typeof current === 'boolean') frame[key] = current ? 1 : 'false';
      else if (Array.isArray(current)) frame[key] = { ...current };
      else if (current && typeof current === 'object') frame[key] = [current];
      else frame[key] = {};
    }
    return refused('mutated field', JSON.stringify(frame));
  });

/** Strings up to exactly the frame limit, in ASCII, 3-byte characters and JSON escapes. */
const huge: fc.Arbitrary<FuzzCase | undefined> = fc
  .tuple(
    fc.oneof(
      anyValidFrame,
      fc.record<Record<string, unknown>>({
        type: fc.constantFrom(...trickyTypes, 'not.a.type'),
        ref: correlationValue,
      }),
    ),
    fc.nat(),
    fc.constantFrom('a', '€', '\n', '\u0001', '"', '😀'),
    fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1000, max: 30_000 })),
  )
  .map(([frame, pick, char, slack]) => {
    const target = MAX_BYTES - slack;
    const keys = Object.keys(frame).filter((key) => typeof frame[key] === 'string');
    const key = keys[pick % keys.length] ?? 'pad';
    const base = Buffer.byteLength(JSON.stringify({ ...frame, [key]: '' }));
    const unit = Buffer.byteLength(JSON.stringify(char)) - 2;
    const room = Math.max(0, target - base);
    const value = char.repeat(Math.floor(room / unit)) + 'a'.repeat(room % unit);
    return refused(`huge ${JSON.stringify(char)} string`, JSON.stringify({ ...frame, [key]: value }));
  });

/** Deep arrays and objects, at the top or inside a field. */
const nested: fc.Arbitrary<FuzzCase | undefined> = fc
  .tuple(fc.integer({ min: 1, max: 12_000 }), fc.constantFrom('array', 'object', 'field', 'type'))
  .map(([depth, where]) => {
    const deepArray = '['.repeat(depth) + ']'.repeat(depth);
    const deepObject = '{"a":'.repeat(Math.min(depth, 10_000)) + '1' + '}'.repeat(Math.min(depth, 10_000));
    const text =
      where === 'array'
        ? deepArray
        : where === 'object'
          ? deepObject
          : where === 'field'
            ? `{"type":"message.send","clientId":"c1","body":${deepArray}}`
            : `{"type":${deepObject}}`;
    return refused(`nested ${where}`, text);
  });

const refusedCase: fc.Arbitrary<FuzzCase | undefined> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((text) => refused('random text', text)) },
  { weight: 2, arbitrary: fc.constantFrom(...trickyTexts).map((text) => refused('tricky text', text)) },
  {
    weight: 3,
    arbitrary: fc.tuple(anyValidFrame, fc.nat(), fc.string({ maxLength: 3 })).map(([frame, cut, tail]) => {
      const text = JSON.stringify(frame);
      return refused('truncated frame', text.slice(0, cut % text.length) + tail);
    }),
  },
  { weight: 4, arbitrary: json.map((value) => refused('JSON value', JSON.stringify(value))) },
  {
    weight: 2,
    arbitrary: fc
      .array(anyValidFrame, { maxLength: 3 })
      .map((frames) => refused('array of frames', JSON.stringify(frames))),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 5 }), fc.option(json), correlationValue)
      .map(([fields, type, ref]) =>
        refused('no string type', JSON.stringify({ ...fields, ...(type === null ? {} : { type }), ref })),
      ),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...trickyTypes),
          fc.string({ maxLength: 40 }),
          fc.string({ unit: 'binary', maxLength: 10 }),
        ),
        fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 4 }),
        correlationValue,
        correlationValue,
      )
      .map(([type, fields, ref, clientId]) =>
        refused('unknown type', JSON.stringify({ ...fields, type, ref, clientId })),
      ),
  },
  { weight: 30, arbitrary: mutated },
  { weight: 3, arbitrary: huge },
  { weight: 2, arbitrary: nested },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
        anyValidFrame.map((frame) => Buffer.from(JSON.stringify(frame))),
      )
      .map((bytes) => refused('binary frame', bytes)),
  },
);

// ---------------------------------------------------------------------------------------------
// Well-formed frames the server must refuse: a second hello, frames the role may not send, and
// frames about other visitors' or nonexistent conversations. None of them may succeed.

interface Targets {
  /** The chat's conversation: another visitor's, and assigned to another agent. */
  conversationId: string;
  /** The agent of that conversation. */
  chatAgentId: string;
  /** The fuzzing agent. */
  fuzzAgentId: string;
  /** Tokens to send in a second hello (the socket's own, others', made-up ones). */
  tokens: string[];
}

/** A well-formed frame with some fields replaced, answered by an error with `code`. */
function wellFormed<T extends ClientFrameType>(
  kind: string,
  type: T,
  override: Record<string, unknown> | ((frame: Record<string, unknown>) => Record<string, unknown>),
  code: ErrorCode,
): fc.Arbitrary<FuzzCase | undefined> {
  return arbitraryOf(type).map((frame) => {
    // The type check keeps an override from turning the frame into another, valid type.
    const changed = typeof override === 'function' ? override(frame) : { ...frame, ...override };
    const text = JSON.stringify(changed);
    const decoded = decodeClientFrame(asReceived(text));
    if (!decoded.ok || decoded.frame.type !== type || byteLength(text) > MAX_BYTES) return undefined;
    const parsed = decoded.frame as { ref?: unknown; clientId?: unknown };
    return { kind, data: text, expect: expected(code, parsed.ref, parsed.clientId) };
  });
}

function secondHello(targets: Targets): fc.Arbitrary<FuzzCase | undefined> {
  const hello = (kind: string, code: ErrorCode, extra: fc.Arbitrary<Record<string, unknown>>) =>
    fc.tuple(arbitraryOf('hello'), fc.constantFrom(...targets.tokens), extra).map(([frame, token, fields]) => {
      const text = JSON.stringify({ ...frame, token, ...fields });
      const decoded = decodeClientFrame(asReceived(text));
      // A hello of the current version is well-formed; one of another version is refused as such.
      const wellFormedHello = code === 'bad_frame' ? decoded.ok : !decoded.ok && decoded.code === code;
      return wellFormedHello && byteLength(text) <= MAX_BYTES
        ? { kind, data: text, expect: expected(code) }
        : undefined;
    });
  return fc.oneof(
    hello('second hello', 'bad_frame', fc.constant({})),
    hello(
      'second hello of another version',
      'unsupported_version',
      fc.integer({ min: -5, max: 1000 }).map((v) => ({ v: v === PROTOCOL_VERSION ? v + 1 : v })),
    ),
  );
}

function visitorRefusals(targets: Targets): fc.Arbitrary<FuzzCase | undefined> {
  const theirs = { conversationId: targets.conversationId };
  const missing = anyId;
  const nowhere = (type: ClientFrameType) =>
    missing.chain((conversationId) =>
      wellFormed(`${type} to a nonexistent conversation`, type, { conversationId }, 'not_found'),
    );
  return fc.oneof(
    wellFormed("message.send to another visitor's conversation", 'message.send', theirs, 'forbidden'),
    nowhere('message.send'),
    wellFormed("typing in another visitor's conversation", 'typing', theirs, 'forbidden'),
    nowhere('typing'),
    wellFormed("conversation.end of another visitor's conversation", 'conversation.end', theirs, 'forbidden'),
    nowhere('conversation.end'),
    wellFormed("survey.submit on another visitor's conversation", 'survey.submit', theirs, 'forbidden'),
    nowhere('survey.submit'),
    wellFormed("history of another visitor's conversation", 'history', theirs, 'forbidden'),
    nowhere('history'),
    // Agent-only frames, aimed at the real conversation and agents where they name one.
    wellFormed('conversation.take by a visitor', 'conversation.take', theirs, 'forbidden'),
    wellFormed(
      'conversation.transfer by a visitor',
      'conversation.transfer',
      { ...theirs, toAgentId: targets.fuzzAgentId },
      'forbidden',
    ),
    wellFormed('agent.status by a visitor', 'agent.status', {}, 'forbidden'),
    wellFormed('callme.done by a visitor', 'callme.done', {}, 'forbidden'),
    wellFormed('offline.handled by a visitor', 'offline.handled', {}, 'forbidden'),
    secondHello(targets),
  );
}

function agentRefusals(targets: Targets): fc.Arbitrary<FuzzCase | undefined> {
  const theirs = { conversationId: targets.conversationId };
  const missing = anyId;
  const nowhere = (type: ClientFrameType, code: ErrorCode = 'not_found', extra: Record<string, unknown> = {}) =>
    missing.chain((conversationId) =>
      wellFormed(`${type} on a nonexistent conversation`, type, { conversationId, ...extra }, code),
    );
  const noConversation = (frame: Record<string, unknown>) => {
    const { conversationId: _dropped, ...rest } = frame;
    return rest;
  };
  return fc.oneof(
    wellFormed("message.send to another agent's conversation", 'message.send', theirs, 'forbidden'),
    nowhere('message.send'),
    wellFormed('message.send by an agent without conversationId', 'message.send', noConversation, 'bad_frame'),
    nowhere('typing'),
    wellFormed('typing by an agent without conversationId', 'typing', noConversation, 'not_found'),
    wellFormed("conversation.take of another agent's conversation", 'conversation.take', theirs, 'invalid_state'),
    nowhere('conversation.take'),
    wellFormed(
      "conversation.transfer of another agent's conversation",
      'conversation.transfer',
      { ...theirs, toAgentId: targets.chatAgentId },
      'forbidden',
    ),
    wellFormed(
      'conversation.transfer to oneself',
      'conversation.transfer',
      { ...theirs, toAgentId: targets.fuzzAgentId },
      'invalid_state',
    ),
    missing.chain((toAgentId) =>
      wellFormed(
        'conversation.transfer to a nonexistent agent',
        'conversation.transfer',
        { ...theirs, toAgentId },
        'agent_unavailable',
      ),
    ),
    nowhere('conversation.transfer', 'forbidden', { toAgentId: targets.chatAgentId }),
    wellFormed("conversation.end of another agent's conversation", 'conversation.end', theirs, 'forbidden'),
    nowhere('conversation.end'),
    wellFormed('conversation.end by an agent without conversationId', 'conversation.end', noConversation, 'not_found'),
    nowhere('history'),
    wellFormed('callme.done of a nonexistent request', 'callme.done', {}, 'not_found'),
    wellFormed('offline.handled of a nonexistent message', 'offline.handled', {}, 'not_found'),
    // Visitor-only frames.
    wellFormed('callme.request by an agent', 'callme.request', {}, 'forbidden'),
    wellFormed('offline.message by an agent', 'offline.message', {}, 'forbidden'),
    wellFormed('survey.submit by an agent', 'survey.submit', theirs, 'forbidden'),
    wellFormed('visitor.update by an agent', 'visitor.update', {}, 'forbidden'),
    wellFormed('visitor.identify by an agent', 'visitor.identify', {}, 'forbidden'),
    secondHello(targets),
  );
}

function fuzzCases(role: 'visitor' | 'agent', targets: Targets, count: number, seed: number): FuzzCase[] {
  const arbitrary = fc
    .oneof(
      { weight: 3, arbitrary: refusedCase },
      { weight: 1, arbitrary: role === 'visitor' ? visitorRefusals(targets) : agentRefusals(targets) },
    )
    .filter((fuzzCase): fuzzCase is FuzzCase => fuzzCase !== undefined);
  return fc.sample(arbitrary, { seed, numRuns: count });
}

// ---------------------------------------------------------------------------------------------
// Raw sockets.

interface Received {
  text: string;
  type: string;
  code?: string;
  ref?: string;
  clientId?: string;
  /** Why the frame fails the server-frame schema, if it does. */
  invalid?: string;
}

class RawSocket {
  readonly received: Received[] = [];
  readonly errors: Received[] = [];
  closed: { code: number; reason: string } | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const text = isBinary ? '<binary>' : Buffer.from(data as Buffer).toString('utf8');
      let parsed: { type?: unknown; code?: unknown; ref?: unknown; clientId?: unknown } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // Kept as type "?"; the schema check reports it.
      }
      const decoded = decodeServerFrame(text);
      const frame: Received = {
        text,
        type: typeof parsed.type === 'string' ? parsed.type : '?',
        ...(typeof parsed.code === 'string' ? { code: parsed.code } : {}),
        ...(typeof parsed.ref === 'string' ? { ref: parsed.ref } : {}),
        ...(typeof parsed.clientId === 'string' ? { clientId: parsed.clientId } : {}),
        ...(decoded.ok ? {} : { invalid: decoded.message }),
      };
      this.received.push(frame);
      if (frame.type === 'error') this.errors.push(frame);
      this.notify();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const socket = new RawSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(data: Data): void {
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** Resolves when `predicate` holds; rejects with `what` after `timeoutMs`. */
  until(what: string | (() => string), predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  close(): void {
    this.ws.terminate();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

const wsUrl = (server: TestServer, widgetId?: string) =>
  `${server.url.replace(/^http/, 'ws')}/v1/ws${widgetId ? `?widget=${widgetId}` : ''}`;

/** A raw socket past hello and welcome. */
async function helloSocket(server: TestServer, role: 'visitor' | 'agent', token: string): Promise<RawSocket> {
  const socket = await RawSocket.open(wsUrl(server, role === 'visitor' ? server.widgetId : undefined));
  socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, role, token }));
  await socket.until(`welcome for the ${role}`, () => socket.received.some((frame) => frame.type === 'welcome'));
  return socket;
}

/**
 * Sends every case, at most WINDOW ahead of the replies, then checks that the socket is still
 * alive with a ping. A reply that does not come within 15 s fails with the frame it answers.
 */
async function drive(socket: RawSocket, cases: FuzzCase[]): Promise<void> {
  const base = socket.errors.length;
  const replied = () => socket.errors.length - base;
  const oldest = () => {
    const waiting = cases[replied()];
    return `the reply to fuzz frame #${replied()} (${waiting?.kind}: ${waiting ? preview(waiting.data) : '-'})`;
  };
  for (let next = 0; next < cases.length; next++) {
    if (next - replied() >= WINDOW)
      await socket.until(oldest, () => next - replied() < WINDOW || !!socket.closed, 15_000);
    if (socket.closed)
      throw new Error(`fuzz socket closed (${socket.closed.code} ${socket.closed.reason}) before ${oldest()}`);
    socket.send(cases[next]!.data);
  }
  await socket.until(oldest, () => replied() >= cases.length || !!socket.closed, 15_000);
  const pongs = socket.received.filter((frame) => frame.type === 'pong').length;
  socket.send(JSON.stringify({ type: 'ping', t: 7 }));
  await socket.until(
    'the pong after the last fuzz frame',
    () => socket.received.filter((f) => f.type === 'pong').length > pongs,
  );
}

/** Replies that do not match their case: "#index kind: expected …, got …". */
function mismatches(socket: RawSocket, cases: FuzzCase[], base: number): string[] {
  const out: string[] = [];
  cases.forEach((fuzzCase, index) => {
    const reply = socket.errors[base + index];
    const got = reply && expected(reply.code as ErrorCode, reply.ref, reply.clientId);
    if (JSON.stringify(got) !== JSON.stringify(fuzzCase.expect)) {
      out.push(
        `#${index} ${fuzzCase.kind} ${preview(fuzzCase.data)}: expected ${JSON.stringify(fuzzCase.expect)}, got ${reply?.text.slice(0, 300)}`,
      );
    }
  });
  return out;
}

/** FUZZ_SUMMARY=1: how many frames of each kind, expected code and size each socket gets. */
function printSummary(sets: Record<string, FuzzCase[]>): void {
  for (const [role, cases] of Object.entries(sets)) {
    const count = (key: (fuzzCase: FuzzCase) => string) => {
      const counts = new Map<string, number>();
      for (const fuzzCase of cases) counts.set(key(fuzzCase), (counts.get(key(fuzzCase)) ?? 0) + 1);
      return Object.fromEntries([...counts].sort(([, a], [, b]) => b - a));
    };
    const sizes = cases.map((fuzzCase) => byteLength(fuzzCase.data));
    console.log(
      role,
      JSON.stringify({
        frames: cases.length,
        bytes: sizes.reduce((a, b) => a + b, 0),
        atLimit: sizes.filter((size) => size === MAX_BYTES).length,
        codes: count((fuzzCase) => fuzzCase.expect.code),
        kinds: count((fuzzCase) => fuzzCase.kind.replace(/ to .*| on .*| of .*| by .*/, '…')),
      }),
    );
  }
}

/** Frames the server may push to an idle visitor or agent socket on its own (bus fan-out). */
const pushedTypes = new Set([
  'welcome',
  'availability',
  'queue',
  'presence',
  'agent.status',
  'callme',
  'offline',
  'queue.position',
]);

describe.each(storeKinds)('fuzzing the WebSocket gateway (%s)', (store: StoreKind) => {
  let server: TestServer;
  let visitor: ParleyClient;
  let agent: ParleyClient;
  let visitorToken: string;
  let agentToken: string;
  let conversationId: string;
  let firstAck: MessageAck;
  const clientErrors: unknown[] = [];
  const reconnects: string[] = [];
  let visitorLog: ReturnType<typeof recordSequenced>;
  let agentLog: ReturnType<typeof recordSequenced>;

  beforeAll(async () => {
    server = await startTestServer({ store, agents: 1, config: { helloTimeoutMs: HELLO_TIMEOUT_MS } });
    const chatAgent = await agentClient(server.url, server.agents[0]!);
    agent = chatAgent.client;
    agentToken = chatAgent.token;
    const chatVisitor = await visitorClient(server.url, server.widgetId);
    visitor = chatVisitor.client;
    visitorToken = chatVisitor.token;
    for (const [name, client] of [
      ['visitor', visitor],
      ['agent', agent],
    ] as const) {
      client.on('error', (error) => clientErrors.push({ [name]: error }));
      client.on('state', ({ state }) => state === 'reconnecting' && reconnects.push(`${name}: ${state}`));
    }
    visitorLog = recordSequenced(visitor);
    agentLog = recordSequenced(agent);
    await agent.connect();
    await visitor.connect();
    firstAck = await visitor.send({ body: 'visitor 0' });
    conversationId = firstAck.conversationId;
    await waitFor('the chat to be assigned to its agent', () =>
      agentLog.frames.some(
        (frame) => frame.type === 'conversation.assigned' && frame.conversationId === conversationId,
      ),
    );
  });

  afterAll(async () => {
    visitor?.close();
    agent?.close();
    await server?.close();
  });

  it('answers every fuzz frame with exactly one coded error while a chat goes on unaffected', async () => {
    // The fuzzing agent joins after the chat was assigned, so routing never gives it the chat.
    const fuzzAgent = await server.addAgent();
    const fuzzAgentToken = await loginAgent(server.url, fuzzAgent);
    const fuzzVisitorSession = await createVisitorSession(server.url, server.widgetId);
    const visitorSocket = await helloSocket(server, 'visitor', fuzzVisitorSession.token);
    const agentSocket = await helloSocket(server, 'agent', fuzzAgentToken);
    const targets: Targets = {
      conversationId,
      chatAgentId: server.agents[0]!.id,
      fuzzAgentId: fuzzAgent.id,
      tokens: [
        fuzzVisitorSession.token,
        fuzzAgentToken,
        visitorToken,
        agentToken,
        'v_' + 'x'.repeat(40),
        'a_' + 'y'.repeat(40),
      ],
    };
    const visitorCases = fuzzCases('visitor', targets, FRAMES_PER_SOCKET, SEED);
    const agentCases = fuzzCases('agent', targets, FRAMES_PER_SOCKET, SEED + 1);
    if (process.env.FUZZ_SUMMARY) printSummary({ visitor: visitorCases, agent: agentCases });
    let fuzzDone = false;
    const visitorBase = visitorSocket.errors.length;
    const agentBase = agentSocket.errors.length;
    const progress = () =>
      Math.min(visitorSocket.errors.length - visitorBase, agentSocket.errors.length - agentBase) / FRAMES_PER_SOCKET;

    // The chat: each side sends one message at a time, spread over the whole fuzz run.
    const visitorAcks: MessageAck[] = [firstAck];
    const agentAcks: MessageAck[] = [];
    const paced = (index: number) =>
      waitFor('fuzz progress', () => fuzzDone || progress() >= index / (CHAT_MESSAGES + 10), 60_000);
    const chat = Promise.all([
      (async () => {
        for (let i = 1; i <= CHAT_MESSAGES; i++) {
          await paced(i);
          visitorAcks.push(await visitor.send({ body: `visitor ${i}` }));
        }
      })(),
      (async () => {
        for (let i = 1; i <= CHAT_MESSAGES; i++) {
          await paced(i);
          agentAcks.push(await agent.send({ conversationId, body: `agent ${i}` }));
        }
      })(),
    ]);

    // Frames over 64 KiB, mid-run: only the sender's socket closes, with 1009.
    const oversized = (async () => {
      await waitFor('a third of the fuzz', () => fuzzDone || progress() >= 0.3, 60_000);
      const closes: (number | undefined)[] = [];
      for (const data of ['x'.repeat(MAX_BYTES + 1), '€'.repeat(Math.ceil((MAX_BYTES + 1) / 3))]) {
        // The second one is under the limit in UTF-16 code units but over it in bytes.
        const session = await createVisitorSession(server.url, server.widgetId);
        const socket = await helloSocket(server, 'visitor', session.token);
        socket.send(data);
        await socket.until('the close after an oversized frame', () => !!socket.closed);
        closes.push(socket.closed?.code);
      }
      return {
        closes,
        othersOpen: [visitorSocket.isOpen, agentSocket.isOpen, visitor.state, agent.state],
      };
    })();

    const fuzz = Promise.all([drive(visitorSocket, visitorCases), drive(agentSocket, agentCases)]).finally(
      () => (fuzzDone = true),
    );
    // Settle all three before judging, so a failure in one never leaves the others unobserved.
    const settled = await Promise.allSettled([fuzz, oversized, chat]);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const oversize = await oversized;

    // Every fuzz frame got exactly one error, in order, with the predicted code and correlation.
    for (const [socket, cases, base] of [
      [visitorSocket, visitorCases, visitorBase],
      [agentSocket, agentCases, agentBase],
    ] as const) {
      expect(socket.closed).toBeUndefined();
      expect(socket.errors.length - base).toBe(cases.length);
      expect(socket.errors.filter((frame) => !Object.hasOwn(errorCodes, frame.code ?? '')).map((f) => f.text)).toEqual(
        [],
      );
      expect(mismatches(socket, cases, base).slice(0, 10)).toEqual([]);
      // Nothing but errors and the bus's own pushes: no fuzz frame succeeded.
      const others = socket.received.filter((frame) => frame.type !== 'error' && frame.type !== 'pong');
      expect(others.filter((frame) => !pushedTypes.has(frame.type)).map((frame) => frame.text.slice(0, 200))).toEqual(
        [],
      );
      expect(socket.received.filter((frame) => frame.type === 'pong')).toHaveLength(1);
      // Every frame the server sends must pass the server-frame schema, or clients drop it.
      expect
        .soft(
          socket.received
            .filter((frame) => frame.invalid)
            .slice(0, 5)
            .map((frame) => `${frame.invalid}: ${frame.text.slice(0, 200)}`),
          'server frames that fail the server-frame schema',
        )
        .toEqual([]);
    }
    expect(visitorCases.length + agentCases.length).toBeGreaterThanOrEqual(10_000);

    expect(oversize).toEqual({
      closes: [closeCodes.too_large, closeCodes.too_large],
      othersOpen: [true, true, 'open', 'open'],
    });

    // The chat: all acknowledged, each message delivered once to both sides, in seq order.
    expect(visitorAcks).toHaveLength(CHAT_MESSAGES + 1);
    expect(agentAcks).toHaveLength(CHAT_MESSAGES);
    const acks = [...visitorAcks, ...agentAcks];
    expect(new Set(acks.map((ack) => ack.conversationId))).toEqual(new Set([conversationId]));
    expect(new Set(acks.map((ack) => ack.seq)).size).toBe(acks.length);
    const inSeqOrder = (list: MessageAck[]) => list.every((ack, i) => i === 0 || ack.seq > list[i - 1]!.seq);
    expect(inSeqOrder(visitorAcks) && inSeqOrder(agentAcks)).toBe(true);
    const bodies = new Map([
      ...visitorAcks.map((ack, i) => [ack.seq, `visitor ${i}`] as const),
      ...agentAcks.map((ack, i) => [ack.seq, `agent ${i + 1}`] as const),
    ]);
    const expectedBodies = [...bodies.entries()].sort(([a], [b]) => a - b).map(([, body]) => body);
    for (const [name, log] of [
      ['visitor', visitorLog],
      ['agent', agentLog],
    ] as const) {
      await waitFor(`the ${name} to receive the whole chat`, () => log.messages(conversationId).length >= acks.length);
      expect(log.messages(conversationId), name).toEqual(expectedBodies);
      const seqs = log.frames.filter((frame) => frame.conversationId === conversationId).map((frame) => frame.seq);
      expect(seqs, `${name} seqs`).toEqual(seqs.map((_, i) => i + 1));
    }
    expect(clientErrors).toEqual([]);
    expect(reconnects).toEqual([]);

    // The store holds the chat and nothing the fuzz sent.
    const db = server.server.store.db;
    const conversations = await db
      .selectFrom('conversations')
      .select(['id', 'last_seq', 'status', 'agent_id'])
      .execute();
    expect(conversations).toEqual([
      { id: conversationId, last_seq: acks.length + 2, status: 'active', agent_id: server.agents[0]!.id },
    ]);
    const messageRows = await db.selectFrom('messages').select('id').execute();
    expect(messageRows).toHaveLength(acks.length + 2);
    expect(await db.selectFrom('callme_requests').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('offline_requests').select('id').execute()).toEqual([]);
    const statuses = await db.selectFrom('agents').select('status').execute();
    expect(statuses.map((row) => row.status)).toEqual(['online', 'online']);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    visitorSocket.close();
    agentSocket.close();
  });

  it('closes sockets that send anything but a valid hello first, each alone and with its code', async () => {
    const session = await createVisitorSession(server.url, server.widgetId);
    const hello = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, role: 'visitor', token: session.token, ...extra });
    // An undecodable frame gets its decoder's verdict; any first frame but a valid hello closes with 4400.
    const cases: { name: string; frames: Data[]; code?: ErrorCode; close: number }[] = [
      { name: 'not JSON', frames: ['not json'], code: 'bad_frame', close: closeCodes.hello_required },
      { name: 'a JSON array', frames: [`[${hello()}]`], code: 'bad_frame', close: closeCodes.hello_required },
      {
        name: 'an unknown type',
        frames: ['{"type":"nope"}'],
        code: 'unknown_type',
        close: closeCodes.hello_required,
      },
      {
        name: 'a binary frame',
        frames: [Buffer.from(hello())],
        code: 'bad_frame',
        close: closeCodes.hello_required,
      },
      { name: 'a ping', frames: ['{"type":"ping"}'], code: 'hello_required', close: closeCodes.hello_required },
      {
        name: 'a message',
        frames: [JSON.stringify({ type: 'message.send', clientId: 'c1', body: 'hi' })],
        code: 'hello_required',
        close: closeCodes.hello_required,
      },
      {
        name: 'junk, then a valid hello',
        frames: ['junk', hello()],
        code: 'bad_frame',
        close: closeCodes.hello_required,
      },
      {
        name: 'a hello without token',
        frames: [hello({ token: undefined })],
        code: 'bad_frame',
        close: closeCodes.hello_required,
      },
      {
        name: 'a hello of another version',
        frames: [hello({ v: PROTOCOL_VERSION + 1 })],
        code: 'unsupported_version',
        close: closeCodes.unsupported_version,
      },
      {
        name: 'a hello with an unknown token',
        frames: [hello({ token: 'v_' + 'z'.repeat(43) })],
        code: 'unauthorized',
        close: closeCodes.unauthorized,
      },
      {
        name: "a visitor hello with an agent's token",
        frames: [hello({ token: agentToken })],
        code: 'unauthorized',
        close: closeCodes.unauthorized,
      },
      { name: 'nothing at all', frames: [], close: closeCodes.hello_timeout },
      { name: 'a frame over 64 KiB', frames: ['x'.repeat(MAX_BYTES + 1)], close: closeCodes.too_large },
    ];
    const bystander = await helloSocket(
      server,
      'visitor',
      (await createVisitorSession(server.url, server.widgetId)).token,
    );
    const results = await Promise.all(
      cases.map(async ({ name, frames }) => {
        const socket = await RawSocket.open(wsUrl(server, server.widgetId));
        for (const frame of frames) socket.send(frame);
        await socket.until('close', () => !!socket.closed, HELLO_TIMEOUT_MS + 3000).catch(() => undefined);
        return {
          name,
          errors: socket.errors.map((frame) => frame.code),
          others: socket.received.filter((frame) => frame.type !== 'error').map((frame) => frame.type),
          close: socket.closed?.code,
        };
      }),
    );
    expect(results).toEqual(
      cases.map(({ name, code, close }) => ({ name, errors: code ? [code] : [], others: [], close })),
    );
    // None of that touched a socket that said hello properly.
    const pongs = bystander.received.length;
    bystander.send(JSON.stringify({ type: 'ping', t: 1 }));
    await bystander.until('pong', () => bystander.received.slice(pongs).some((frame) => frame.type === 'pong'));
    expect(bystander.closed).toBeUndefined();
    bystander.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
