/** Helpers shared by the protocol tests: schema walking, JSON mutation and error assertions. */
import fc from 'fast-check';
import * as v from 'valibot';
import { expect } from 'vitest';
import { decodeServerFrame, errorCodes, limits, type Decoded, type ErrorCode } from '../../src/protocol/index.js';
import { Id } from '../../src/protocol/fields.js';
import { finiteNumber, id } from './arbitraries.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Path = (string | number)[];

/** The parts of a valibot schema the walker reads (valibot keeps them as public properties). */
export interface SchemaNode {
  type: string;
  wrapped?: SchemaNode;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  options?: readonly unknown[];
  literal?: unknown;
  key?: unknown;
  value?: SchemaNode;
  pipe?: readonly unknown[];
}

/**
 * The walker's view of a schema. A record piped behind a custom object check (valibot's record
 * alone accepts arrays) is read as the record it wraps.
 */
export const node = (schema: unknown): SchemaNode => {
  const candidate = schema as SchemaNode;
  if (candidate.type !== 'custom') return candidate;
  const record = candidate.pipe?.map(node).find((step) => step.type === 'record');
  return record ?? candidate;
};

/** The kinds of JSON value a frame field may hold. */
export type Kind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

/**
 * The JSON kinds a schema accepts. Throws on a schema type it does not know, so a new kind of
 * field in the protocol makes the mutation tests fail until this walker learns it.
 */
export function acceptedKinds(given: SchemaNode): Set<Kind> {
  const schema = node(given);
  switch (schema.type) {
    case 'optional':
      return acceptedKinds(node(schema.wrapped!));
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'object':
    case 'array':
      return new Set([schema.type]);
    case 'literal':
      return new Set([kindOf(schema.literal)]);
    case 'picklist':
      return new Set(schema.options!.map(kindOf));
    case 'record':
      return new Set(['object']);
    case 'union':
    case 'variant':
      return new Set(schema.options!.flatMap((option) => [...acceptedKinds(node(option))]));
    default:
      throw new Error(`the protocol test walker does not know valibot schema type "${schema.type}"`);
  }
}

/** The schema and every schema nested in it (entries, items, options, record values). */
export function everySchema(schema: SchemaNode): SchemaNode[] {
  const children = [
    ...(schema.wrapped ? [node(schema.wrapped)] : []),
    ...Object.values(schema.entries ?? {}).map(node),
    ...(schema.item ? [schema.item] : []),
    ...(schema.type === 'union' || schema.type === 'variant' ? (schema.options ?? []).map(node) : []),
    ...(schema.type === 'record' ? [schema.value!] : []),
  ];
  return [schema, ...children.flatMap(everySchema)];
}

const unwrap = (schema: SchemaNode): SchemaNode =>
  schema.type === 'optional' ? unwrap(node(schema.wrapped!)) : node(schema);

/** A present value inside a valid frame, with the schema it must satisfy. */
export interface Site {
  path: Path;
  schema: SchemaNode;
  /** True when the value is an object entry that may not be missing. */
  required: boolean;
}

/** Every value inside `value` (a valid instance of `schema`), depth first. */
export function sites(schema: SchemaNode, value: unknown, path: Path = []): Site[] {
  const s = unwrap(schema);
  const out: Site[] = [];
  if (s.type === 'object' && typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(s.entries!)) {
      if (!Object.hasOwn(value, key)) continue;
      out.push({ path: [...path, key], schema: entry, required: entry.type !== 'optional' });
      out.push(...sites(entry, (value as Record<string, unknown>)[key], [...path, key]));
    }
  } else if (s.type === 'array' && Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push({ path: [...path, index], schema: s.item!, required: false });
      out.push(...sites(s.item!, item, [...path, index]));
    });
  } else if (s.type === 'record' && typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push({ path: [...path, key], schema: s.value!, required: false });
      out.push(...sites(s.value!, item, [...path, key]));
    }
  } else if (s.type === 'variant' || s.type === 'union') {
    const option = s.options!.find((o) => v.is(o as v.GenericSchema, value));
    if (option) out.push(...sites(node(option), value, path));
  }
  return out;
}

const smallJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 }).map((j) => j as Json);

const valueOfKind: Record<Kind, fc.Arbitrary<Json>> = {
  string: fc.string({ maxLength: 10 }),
  number: finiteNumber,
  boolean: fc.boolean(),
  null: fc.constant(null),
  object: fc.dictionary(fc.string({ maxLength: 5 }), smallJson, { maxKeys: 3, noNullPrototype: true }),
  array: fc.array(smallJson, { maxLength: 3 }),
};

/** A JSON value of a kind `schema` does not accept. */
export function wrongValue(schema: SchemaNode): fc.Arbitrary<Json> {
  const accepted = acceptedKinds(schema);
  const wrong = (Object.keys(valueOfKind) as Kind[]).filter((kind) => !accepted.has(kind));
  return fc.oneof(...wrong.map((kind) => valueOfKind[kind]));
}

/** Sets an own property, even one named __proto__, as JSON.parse would. */
function setOwn(target: object, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function parentOf(root: Json, path: Path): Record<string | number, Json> {
  let current: unknown = root;
  for (const key of path.slice(0, -1)) current = (current as Record<string | number, unknown>)[key];
  return current as Record<string | number, Json>;
}

/** A deep copy of `root` with the value at `path` removed (spliced out of arrays). */
export function withRemoved<T extends Json>(root: T, path: Path): T {
  const copy = structuredClone(root);
  const parent = parentOf(copy, path);
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return copy;
}

/** A deep copy of `root` with the value at `path` replaced by `value`. */
export function withReplaced<T extends Json>(root: T, path: Path, value: Json): T {
  const copy = structuredClone(root);
  setOwn(parentOf(copy, path), path[path.length - 1]!, structuredClone(value));
  return copy;
}

/** One random edit of a JSON tree: drop a value, add a key or element, or replace a value. */
export interface Edit {
  kind: 'drop' | 'add' | 'retype';
  at: number;
  key: string;
  value: Json;
}

export function editArbitrary(knownKeys: readonly string[]): fc.Arbitrary<Edit> {
  return fc.record({
    kind: fc.constantFrom('drop' as const, 'add' as const, 'retype' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom(...knownKeys, '__proto__', 'constructor', 'toString', ''), fc.string()),
    value: fc.oneof(smallJson, fc.constantFrom<Json>('', 0, -1, 1.5, 1e308, '__proto__', [], {})),
  });
}

function allPaths(root: Json, path: Path = []): Path[] {
  const out: Path[] = [path];
  if (Array.isArray(root)) root.forEach((item, i) => out.push(...allPaths(item, [...path, i])));
  else if (typeof root === 'object' && root !== null)
    for (const [key, item] of Object.entries(root)) out.push(...allPaths(item, [...path, key]));
  return out;
}

function valueAt(root: Json, path: Path): Json {
  let current: Json = root;
  for (const key of path) current = (current as Record<string | number, Json>)[key]!;
  return current;
}

/** Applies edits in order; edits that do not apply (e.g. dropping the root) are skipped. */
export function applyEdits(root: Json, edits: readonly Edit[]): Json {
  let current = structuredClone(root);
  for (const edit of edits) {
    const paths = allPaths(current);
    if (edit.kind === 'add') {
      const containers = paths.filter((p) => {
        const target = valueAt(current, p);
        return typeof target === 'object' && target !== null;
      });
      if (containers.length === 0) continue;
      const target = valueAt(current, containers[edit.at % containers.length]!) as Json[] | JsonObject;
      // Generated values may be shared between runs (constants): insert copies, never the values themselves.
      if (Array.isArray(target)) target.push(structuredClone(edit.value));
      else setOwn(target, edit.key, structuredClone(edit.value));
      continue;
    }
    const inner = paths.filter((p) => p.length > 0);
    if (inner.length === 0) continue;
    const path = inner[edit.at % inner.length]!;
    current = edit.kind === 'drop' ? withRemoved(current, path) : withReplaced(current, path, edit.value);
  }
  return current;
}

/** The ref/clientId an error must echo: only those that are valid ids. */
export function expectedCorrelation(data: unknown): { ref?: string; clientId?: string } {
  const out: { ref?: string; clientId?: string } = {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return out;
  const record = data as Record<string, unknown>;
  if (v.is(Id, record.ref)) out.ref = record.ref;
  if (v.is(Id, record.clientId)) out.clientId = record.clientId;
  return out;
}

/** Asserts a failed decode with `code`, a message of at most 500 chars and exactly the given correlation. */
export function expectError(
  decoded: Decoded<unknown>,
  code: ErrorCode,
  correlation: { ref?: string; clientId?: string } = {},
): void {
  expect(decoded).toEqual({ ok: false, code, message: expect.any(String) as string, ...correlation });
  if (!decoded.ok) {
    expect(decoded.message.length).toBeGreaterThan(0);
    expect(decoded.message.length).toBeLessThanOrEqual(500);
  }
}

/** Asserts the decode result is ok or a failure with a known code and a short message. */
export function expectWellFormedResult(decoded: Decoded<unknown>): void {
  if (decoded.ok) return;
  expect(Object.keys(errorCodes)).toContain(decoded.code);
  expect(typeof decoded.message).toBe('string');
  expect(decoded.message.length).toBeLessThanOrEqual(500);
}

/** True when the JSON text of a frame is too long for the codec to even parse it. */
export const overFrameLimit = (json: string) => json.length > limits.maxFrameBytes;

/** A ref or clientId that is absent, a valid id, or not a string at all. */
const correlationValue = fc.option(fc.oneof(id, fc.integer(), fc.boolean(), fc.constant(null)), { nil: undefined });

/** JSON objects without a `type`, sometimes carrying a ref/clientId (valid ids or non-strings). */
export const typelessObject: fc.Arbitrary<JsonObject> = fc
  .tuple(
    fc.dictionary(
      fc.string().filter((key) => !['type', 'ref', 'clientId'].includes(key)),
      fc.jsonValue({ maxDepth: 2 }).map((j) => j as Json),
      { maxKeys: 5, noNullPrototype: true },
    ),
    correlationValue,
    correlationValue,
  )
  .map(([rest, ref, clientId]) => {
    const out: JsonObject = { ...rest };
    if (ref !== undefined) out.ref = ref;
    if (clientId !== undefined) out.clientId = clientId;
    return out;
  });

/** A ref or clientId that is a string but not a valid id. */
export function hasInvalidCorrelation(data: Json): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  return ['ref', 'clientId'].some((key) => typeof data[key] === 'string' && !(key in expectedCorrelation(data)));
}

export interface Mutation {
  frame: JsonObject;
  /** A wrong-typed value for every top-level entry of the schema. */
  wrongByKey: Record<string, Json>;
  /** One random value nested deeper than the top level, to remove (if required) or retype. */
  inner?: { path: Path; remove: boolean; value: Json };
}

/** Valid frames of one type together with the mutations that must make them invalid. */
export function mutationArbitrary(schema: SchemaNode, frames: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> {
  const entries = Object.entries(schema.entries!);
  const wrong = fc.record(Object.fromEntries(entries.map(([key, entry]) => [key, wrongValue(entry)])));
  const nested = (frame: JsonObject) => {
    const inner = sites(schema, frame).filter((site) => site.path.length > 1);
    if (inner.length === 0) return fc.constant(undefined);
    return fc.constantFrom(...inner).chain((site) =>
      fc.record({
        path: fc.constant(site.path),
        remove: site.required ? fc.boolean() : fc.constant(false),
        value: wrongValue(site.schema),
      }),
    );
  };
  return frames
    .map((frame) => frame as JsonObject)
    .chain((frame) =>
      fc.record(
        { frame: fc.constant(frame), wrongByKey: wrong, inner: nested(frame) },
        { requiredKeys: ['frame', 'wrongByKey'] },
      ),
    );
}

/** Checks every mutation: each required top-level field removed, each field retyped, plus the nested one. */
export function checkMutation(
  decode: (raw: unknown) => Decoded<unknown>,
  schema: SchemaNode,
  { frame, wrongByKey, inner }: Mutation,
): void {
  const type = frame.type as string;
  for (const [key, entry] of Object.entries(schema.entries!)) {
    if (entry.type !== 'optional') expectRejected(decode, type, withRemoved(frame, [key]), [key]);
    expectRejected(decode, type, withReplaced(frame, [key], wrongByKey[key]!), [key]);
  }
  if (inner) {
    const mutated = inner.remove ? withRemoved(frame, inner.path) : withReplaced(frame, inner.path, inner.value);
    expectRejected(decode, type, mutated, inner.path);
  }
}

/** Asserts that decoding the mutated frame fails with bad_frame at `path`, echoing valid ids. */
export function expectRejected(
  decode: (raw: unknown) => Decoded<unknown>,
  type: string,
  data: JsonObject,
  path: Path,
): void {
  const json = JSON.stringify(data);
  const decoded = decode(json);
  if (overFrameLimit(json)) return expectError(decoded, 'too_large');
  expectError(decoded, 'bad_frame', expectedCorrelation(data));
  if (decoded.ok) return;
  if (path.length === 1 && path[0] === 'type') {
    expect(decoded.message).toBe('frame has no string "type"');
  } else {
    // The first issue is at the mutated value or, for a retyped object, at one of its entries.
    const prefix = `${type}: ${path.join('.')}`;
    expect(decoded.message.startsWith(`${prefix} `) || decoded.message.startsWith(`${prefix}.`), decoded.message).toBe(
      true,
    );
  }
}

/** Asserts that the error frame a server would build from this decode failure is a valid server frame. */
export function expectValidErrorFrame(decoded: Decoded<unknown>): void {
  if (decoded.ok) throw new Error('expected a decode failure');
  const frame = {
    type: 'error',
    code: decoded.code,
    message: decoded.message,
    ...(decoded.ref === undefined ? {} : { ref: decoded.ref }),
    ...(decoded.clientId === undefined ? {} : { clientId: decoded.clientId }),
  };
  expect(decodeServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
}

/** True when `raw` is JSON text. */
export function parsesAsJson(raw: string): boolean {
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}
