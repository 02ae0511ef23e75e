/**
 * fast-check arbitraries for every frame of the wire protocol, built field by field from the
 * rules in src/protocol/fields.ts (not by filtering through the schemas, so the decoder is
 * checked against an independent reading of the contract).
 */
import fc from 'fast-check';
import {
  errorCodes,
  limits,
  type ClientFrameOf,
  type ClientFrameType,
  type ErrorCode,
  type ServerFrameOf,
  type ServerFrameType,
  type SequencedFrameType,
} from '../../src/protocol/index.js';

/** Builds an object arbitrary: every key of `required` is always present, keys of `optional` may be absent. */
function obj<R extends object, O extends object = object>(
  required: { [K in keyof R]: fc.Arbitrary<R[K]> },
  optional?: { [K in keyof O]: fc.Arbitrary<O[K]> },
): fc.Arbitrary<R & Partial<O>> {
  const model = { ...required, ...optional } as { [K in keyof (R & O)]: fc.Arbitrary<(R & O)[K]> };
  return fc.record(model, {
    requiredKeys: Object.keys(required) as (keyof (R & O))[],
    noNullPrototype: true,
  });
}

const lit = <T extends string>(value: T): fc.Arbitrary<T> => fc.constant(value);

/** Any JSON-representable number: finite, and never -0 (JSON.stringify turns it into 0). */
export const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n));

/** Whitespace as String.prototype.trim sees it (WhiteSpace and LineTerminator). */
export const whitespaceChars = [
  ' ',
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2005',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
];

/**
 * One "unit" of free text: mostly printable ASCII, plus the characters that stress JSON
 * (quotes, backslashes, control characters), whitespace, astral characters and lone surrogates.
 */
const textUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"',
      '\\',
      '/',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      'é',
      '中',
      '😀',
      ...whitespaceChars,
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);

/** Free text of at most `max` UTF-16 code units (valibot's maxLength counts code units). */
export function text(max: number, min = 0): fc.Arbitrary<string> {
  const short = fc.string({
    unit: textUnit,
    minLength: Math.min(min, max),
    maxLength: Math.min(max, Math.max(min, 24)),
  });
  const nearMax = fc.string({ unit: textUnit, minLength: Math.max(min, max - 4), maxLength: max });
  return fc.oneof({ weight: 9, arbitrary: short }, { weight: 1, arbitrary: nearMax }).map((s) => s.slice(0, max));
}

const nonBlankChar = fc
  .oneof(fc.constantFrom('x', '.', '0', '😀', '中', '\u0000'), textUnit)
  .filter((c) => c.trim() !== '');

/** Text of at most `max` code units that is not blank after trim(). */
export function nonBlank(max: number): fc.Arbitrary<string> {
  return fc.tuple(text(max), nonBlankChar, text(max)).map(([before, char, after]) => {
    const head = before.slice(0, max - char.length) + char;
    return head + after.slice(0, max - head.length);
  });
}

/** Text made only of whitespace (or empty): blank for the Body schema. */
export const blank = fc.string({ unit: fc.constantFrom(...whitespaceChars), maxLength: 40 });

export const body = nonBlank(limits.maxBodyChars);

const idChars = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'];
export const id = fc.string({ unit: fc.constantFrom(...idChars), minLength: 1, maxLength: 64 });
export const seq = fc.oneof(fc.nat({ max: 1000 }), fc.maxSafeNat());
export const timestamp = fc.oneof(fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }), fc.maxSafeNat());
export const token = fc.string({ unit: textUnit, minLength: 16, maxLength: 256 }).map((s) => s.slice(0, 256));
export const role = fc.constantFrom('visitor' as const, 'agent' as const);
export const agentStatus = fc.constantFrom('online' as const, 'paused' as const);
export const url = fc
  .oneof(
    { weight: 9, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'http://localhost:3000/',
        'https://example.com/a/b?c=d#e',
        'http://[::1]:8080/x',
        'https://xn--r8jz45g.jp/',
        'http://127.0.0.1/',
      ),
    },
  )
  .filter((u) => u.length <= 2048);

const emailAtom = fc.string({ unit: fc.constantFrom(...idChars, '+'), minLength: 1, maxLength: 20 });
const domainLabel = fc.string({
  unit: fc.constantFrom(...idChars.filter((c) => /[a-z0-9]/i.test(c))),
  minLength: 1,
  maxLength: 20,
});
const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
export const email = fc
  .tuple(
    fc.array(emailAtom, { minLength: 1, maxLength: 3 }),
    fc.array(fc.tuple(domainLabel, fc.constantFrom('.', '-')), { maxLength: 3 }),
    domainLabel,
    fc.string({ unit: fc.constantFrom(...letters), minLength: 2, maxLength: 10 }),
  )
  .map(
    ([atoms, labels, last, tld]) => `${atoms.join('.')}@${labels.map(([l, sep]) => l + sep).join('')}${last}.${tld}`,
  );
export const phone = fc
  .tuple(fc.boolean(), fc.string({ unit: fc.constantFrom(...'0123456789 ().-'), minLength: 5, maxLength: 32 }))
  .map(([plus, digits]) => (plus ? '+' : '') + digits);

const customData = fc.dictionary(
  // valibot's record silently drops these keys (prototype-pollution guard), so they would not round-trip.
  text(64).filter((k) => k !== '__proto__' && k !== 'prototype' && k !== 'constructor'),
  fc.oneof(text(500), finiteNumber, fc.boolean(), fc.constant(null)),
  { maxKeys: 50, noNullPrototype: true },
);

const resumePoint = obj({ conversationId: id, seq });

export const clientFrameArbitraries: { [T in ClientFrameType]: fc.Arbitrary<ClientFrameOf<T>> } = {
  hello: obj(
    { type: lit('hello'), v: fc.constant(1), role, token },
    {
      resume: fc.oneof(
        { weight: 19, arbitrary: fc.array(resumePoint, { maxLength: 5 }) },
        {
          weight: 1,
          arbitrary: fc.array(resumePoint, {
            minLength: limits.maxResumePoints - 2,
            maxLength: limits.maxResumePoints,
          }),
        },
      ),
    },
  ),
  ping: obj({ type: lit('ping') }, { t: finiteNumber }),
  'message.send': obj({ type: lit('message.send'), clientId: id, body }, { conversationId: id }),
  typing: obj({ type: lit('typing'), typing: fc.boolean() }, { conversationId: id, draft: text(limits.maxDraftChars) }),
  'conversation.take': obj({ type: lit('conversation.take'), ref: id, conversationId: id }),
  'conversation.transfer': obj(
    { type: lit('conversation.transfer'), ref: id, conversationId: id, toAgentId: id },
    { note: text(500) },
  ),
  'conversation.end': obj({ type: lit('conversation.end'), ref: id }, { conversationId: id }),
  'agent.status': obj({ type: lit('agent.status'), ref: id, status: agentStatus }),
  'callme.request': obj({ type: lit('callme.request'), ref: id, phone }, { page: url }),
  'callme.done': obj({ type: lit('callme.done'), ref: id, id }),
  'offline.message': obj({ type: lit('offline.message'), ref: id, email, body }, { name: text(120), page: url }),
  'offline.handled': obj({ type: lit('offline.handled'), ref: id, id }),
  'survey.submit': obj(
    { type: lit('survey.submit'), ref: id, conversationId: id, score: fc.integer({ min: 1, max: 5 }) },
    { comment: text(1000) },
  ),
  history: obj(
    { type: lit('history'), ref: id, conversationId: id, afterSeq: seq },
    { limit: fc.integer({ min: 1, max: limits.historyPageLimit }) },
  ),
  'visitor.identify': obj(
    { type: lit('visitor.identify'), ref: id },
    {
      email,
      name: text(120),
      userId: text(128),
      identityToken: fc.string({ unit: fc.constantFrom(...idChars, '.'), minLength: 16, maxLength: 600 }),
    },
  ),
  'visitor.get': obj({ type: lit('visitor.get'), ref: id, visitorId: id }),
  'transcripts.search': obj(
    { type: lit('transcripts.search'), ref: id },
    {
      email: text(254),
      text: text(200).filter((t) => t.length > 0),
      before: timestamp,
      limit: fc.integer({ min: 1, max: limits.transcriptPageLimit }),
    },
  ),
  'requests.list': obj(
    { type: lit('requests.list'), ref: id, kind: fc.constantFrom('callme' as const, 'offline' as const) },
    { open: fc.boolean() },
  ),
  'visitor.update': obj(
    { type: lit('visitor.update'), ref: id },
    {
      page: url,
      referrer: fc.oneof(url, fc.constant('')),
      language: text(35),
      timezone: text(64),
      custom: customData,
    },
  ),
};

const agentInfo = obj({ id, name: text(120) }, { username: text(120), avatarUrl: url });
const visitorInfo = obj({ id, verified: fc.boolean() }, { name: text(120), email: text(254) });
const author = obj(
  { role: fc.constantFrom('visitor' as const, 'agent' as const, 'system' as const) },
  { id, name: text(120) },
);
const sequenced = { conversationId: id, seq, at: timestamp };

const sequencedFrameArbitraries: { [T in SequencedFrameType]: fc.Arbitrary<ServerFrameOf<T>> } = {
  message: obj({ type: lit('message'), ...sequenced, id, author, body }, { clientId: id }),
  'conversation.started': obj({ type: lit('conversation.started'), ...sequenced, visitor: visitorInfo }),
  'conversation.assigned': obj({ type: lit('conversation.assigned'), ...sequenced, agent: agentInfo }),
  'conversation.transferred': obj(
    { type: lit('conversation.transferred'), ...sequenced, from: agentInfo, to: agentInfo },
    { note: text(500) },
  ),
  'conversation.ended': obj({
    type: lit('conversation.ended'),
    ...sequenced,
    by: fc.constantFrom('visitor' as const, 'agent' as const, 'system' as const),
  }),
  'survey.submitted': obj(
    { type: lit('survey.submitted'), ...sequenced, score: fc.integer({ min: 1, max: 5 }) },
    { comment: text(1000) },
  ),
};

const sequencedFrame = fc.oneof(...Object.values(sequencedFrameArbitraries));

const conversationSummary = obj(
  {
    id,
    status: fc.constantFrom('queued' as const, 'active' as const, 'ended' as const),
    lastSeq: seq,
    startedAt: timestamp,
    visitor: visitorInfo,
  },
  { agent: agentInfo },
);

const queueItem = obj({ conversationId: id, visitor: visitorInfo, since: timestamp }, { firstMessage: body });

const callMe = obj(
  { id, visitorId: id, phone: text(32), at: timestamp },
  { conversationId: id, page: url, doneAt: timestamp },
);

const offlineMessage = obj({ id, email, body, at: timestamp }, { name: text(120), page: url, handledAt: timestamp });

const presenceAgent = fc
  .tuple(agentInfo, fc.constantFrom('online' as const, 'paused' as const, 'offline' as const))
  .map(([agent, status]) => ({ ...agent, status }));

/** Integers (in the Number.isInteger sense) of at least `min`, up to the largest doubles. */
const bigInteger = (min: number) =>
  fc.oneof(
    fc.integer({ min, max: 2 ** 31 }),
    fc.double({ min, max: Number.MAX_VALUE, noNaN: true }).map((n) => Math.max(min, Math.trunc(n))),
  );

export const serverFrameArbitraries: { [T in ServerFrameType]: fc.Arbitrary<ServerFrameOf<T>> } = {
  ...sequencedFrameArbitraries,
  welcome: obj({
    type: lit('welcome'),
    v: finiteNumber,
    role,
    self: obj({ id }, { name: text(120) }),
    heartbeatMs: bigInteger(1000),
    conversations: fc.array(conversationSummary, { maxLength: 4 }),
  }),
  pong: obj({ type: lit('pong') }, { t: finiteNumber }),
  'message.ack': obj({ type: lit('message.ack'), clientId: id, conversationId: id, seq, id, at: timestamp }),
  typing: obj(
    { type: lit('typing'), conversationId: id, role, typing: fc.boolean() },
    { draft: text(limits.maxDraftChars) },
  ),
  'queue.position': obj({ type: lit('queue.position'), conversationId: id, position: bigInteger(1) }),
  queue: obj({ type: lit('queue'), items: fc.array(queueItem, { maxLength: 4 }) }),
  presence: obj({ type: lit('presence'), agents: fc.array(presenceAgent, { maxLength: 4 }) }),
  availability: obj({ type: lit('availability'), online: fc.boolean() }),
  'agent.status': obj({ type: lit('agent.status'), status: agentStatus }),
  callme: obj({ type: lit('callme'), request: callMe }),
  offline: obj({ type: lit('offline'), request: offlineMessage }),
  reload: obj({ type: lit('reload'), conversationId: id, lastSeq: seq }),
  'history.result': obj({
    type: lit('history.result'),
    ref: id,
    conversationId: id,
    frames: fc.array(sequencedFrame, { maxLength: 4 }),
    more: fc.boolean(),
  }),
  'visitor.details': obj({
    type: lit('visitor.details'),
    ref: id,
    visitor: fc
      .tuple(
        visitorInfo,
        obj(
          { custom: customData, firstSeen: timestamp },
          { userId: text(128), page: url, referrer: url, language: text(35), timezone: text(64) },
        ),
      )
      .map(([info, details]) => ({ ...info, ...details })),
  }),
  'transcripts.result': obj({
    type: lit('transcripts.result'),
    ref: id,
    items: fc.array(
      obj(
        {
          conversationId: id,
          status: fc.constantFrom('queued' as const, 'active' as const, 'ended' as const),
          visitor: visitorInfo,
          startedAt: timestamp,
        },
        { agent: agentInfo, endedAt: timestamp, preview: text(200) },
      ),
      { maxLength: 4 },
    ),
    more: fc.boolean(),
  }),
  'requests.result': obj(
    { type: lit('requests.result'), ref: id },
    { callme: fc.array(callMe, { maxLength: 3 }), offline: fc.array(offlineMessage, { maxLength: 3 }) },
  ),
  ok: obj({ type: lit('ok'), ref: id }),
  error: obj(
    {
      type: lit('error'),
      code: fc.constantFrom(...(Object.keys(errorCodes) as ErrorCode[])),
      message: text(500),
    },
    { ref: id, clientId: id },
  ),
  'session.ended': obj({
    type: lit('session.ended'),
    reason: fc.constantFrom('logout' as const, 'cleared' as const, 'expired' as const),
  }),
};
