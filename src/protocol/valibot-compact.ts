/**
 * A compact stand-in for the part of valibot the protocol's schemas use. The widget's build swaps
 * it in for `valibot` (rollup.config.mjs), which keeps about 2.5 KB brotli of general machinery
 * (issue objects, i18n, async variants) out of the visitor's bundle. It builds schema trees of
 * valibot's own shape (`type`, `entries`, `wrapped`, `pipe`, `requirement`…) and judges them the
 * same way: test/protocol/valibot-compact.test.ts runs both on generated and broken frames and
 * requires the same verdicts and outputs. Only the wording of a failure differs.
 */

/** A schema or pipe action, in valibot's shape; `run` interprets it. */
export interface SchemaNode {
  readonly kind: 'schema' | 'validation';
  readonly type: string;
  readonly message?: string | undefined;
  readonly requirement?: unknown;
  readonly pipe?: readonly SchemaNode[];
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly wrapped?: SchemaNode;
  readonly item?: SchemaNode;
  readonly options?: readonly unknown[];
  readonly key?: SchemaNode | string;
  readonly value?: SchemaNode;
  readonly literal?: unknown;
  readonly check?: (input: unknown) => boolean;
}

type Path = (string | number)[];

/** The first thing wrong with an input, where it is. */
class Invalid extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message);
  }
}

const schema = /* @__NO_SIDE_EFFECTS__ */ (type: string, fields: Partial<SchemaNode> = {}): SchemaNode => ({
  kind: 'schema',
  type,
  ...fields,
});
const validation = /* @__NO_SIDE_EFFECTS__ */ (type: string, requirement: unknown, message?: string): SchemaNode => ({
  kind: 'validation',
  type,
  requirement,
  message,
});

export const string = /* @__NO_SIDE_EFFECTS__ */ (): SchemaNode => schema('string');
export const number = /* @__NO_SIDE_EFFECTS__ */ (): SchemaNode => schema('number');
export const boolean = /* @__NO_SIDE_EFFECTS__ */ (): SchemaNode => schema('boolean');
const nullSchema = /* @__NO_SIDE_EFFECTS__ */ (): SchemaNode => schema('null');
export { nullSchema as null };
export const literal = /* @__NO_SIDE_EFFECTS__ */ (value: unknown): SchemaNode => schema('literal', { literal: value });
export const picklist = /* @__NO_SIDE_EFFECTS__ */ (options: readonly unknown[]): SchemaNode =>
  schema('picklist', { options });
export const optional = /* @__NO_SIDE_EFFECTS__ */ (wrapped: SchemaNode): SchemaNode => schema('optional', { wrapped });
export const object = /* @__NO_SIDE_EFFECTS__ */ (entries: Record<string, SchemaNode>): SchemaNode =>
  schema('object', { entries });
export const array = /* @__NO_SIDE_EFFECTS__ */ (item: SchemaNode): SchemaNode => schema('array', { item });
export const variant = /* @__NO_SIDE_EFFECTS__ */ (key: string, options: readonly SchemaNode[]): SchemaNode =>
  schema('variant', { key, options });
export const union = /* @__NO_SIDE_EFFECTS__ */ (options: readonly SchemaNode[]): SchemaNode =>
  schema('union', { options });
export const record = /* @__NO_SIDE_EFFECTS__ */ (key: SchemaNode, value: SchemaNode): SchemaNode =>
  schema('record', { key, value });
export const custom = /* @__NO_SIDE_EFFECTS__ */ (check: (input: unknown) => boolean, message?: string): SchemaNode =>
  schema('custom', { check, message });
export const pipe = /* @__NO_SIDE_EFFECTS__ */ (root: SchemaNode, ...actions: SchemaNode[]): SchemaNode => ({
  ...root,
  pipe: [root, ...actions],
});

export const minLength = /* @__NO_SIDE_EFFECTS__ */ (length: number, message?: string) =>
  validation('min_length', length, message);
export const maxLength = /* @__NO_SIDE_EFFECTS__ */ (length: number, message?: string) =>
  validation('max_length', length, message);
export const minValue = /* @__NO_SIDE_EFFECTS__ */ (value: number, message?: string) =>
  validation('min_value', value, message);
export const maxValue = /* @__NO_SIDE_EFFECTS__ */ (value: number, message?: string) =>
  validation('max_value', value, message);
export const regex = /* @__NO_SIDE_EFFECTS__ */ (pattern: RegExp, message?: string) =>
  validation('regex', pattern, message);
export const integer = /* @__NO_SIDE_EFFECTS__ */ (message?: string) =>
  validation('integer', Number.isInteger, message);
export const safeInteger = /* @__NO_SIDE_EFFECTS__ */ (message?: string) =>
  validation('safe_integer', Number.isSafeInteger, message);
export const check = /* @__NO_SIDE_EFFECTS__ */ (requirement: (input: unknown) => boolean, message?: string) =>
  validation('check', requirement, message);
export const email = /* @__NO_SIDE_EFFECTS__ */ (message?: string) =>
  validation('email', /^[\w+-]+(?:\.[\w+-]+)*@[\da-z]+(?:[.-][\da-z]+)*\.[a-z]{2,}$/iu, message);
export const url = /* @__NO_SIDE_EFFECTS__ */ (message?: string) =>
  validation(
    'url',
    (input: string) => {
      try {
        return Boolean(new URL(input));
      } catch {
        return false;
      }
    },
    message,
  );

const isObject = (input: unknown): input is Record<string, unknown> =>
  input !== null && input !== undefined && typeof input === 'object';

/** Whether a pipe action accepts an input that passed the pipe's schema. */
function meets(action: SchemaNode, input: unknown): boolean {
  const requirement = action.requirement;
  const measure = action.type.endsWith('length') ? (input as { length: number }).length : (input as number);
  if (action.type.startsWith('min')) return measure >= (requirement as number);
  if (action.type.startsWith('max')) return measure <= (requirement as number);
  return requirement instanceof RegExp
    ? requirement.test(input as string)
    : (requirement as (input: unknown) => boolean)(input);
}

/** The node's output for `input`, or an `Invalid` thrown at the first fault. */
function run(node: SchemaNode, input: unknown, path: Path = []): unknown {
  const fail = (message = node.message ?? `expected ${node.type}`, at = path): never => {
    throw new Invalid(at, message);
  };
  if (node.pipe) {
    let output = input;
    for (const step of node.pipe) {
      if (step.kind === 'schema') output = run(step, output, path);
      else if (!meets(step, output))
        fail(step.message ?? `fails ${step.type.replace('_', ' ')} ${String(step.requirement)}`);
    }
    return output;
  }
  switch (node.type) {
    case 'string':
    case 'boolean':
      return typeof input === node.type ? input : fail();
    case 'number':
      return typeof input === 'number' && !Number.isNaN(input) ? input : fail();
    case 'null':
      return input === null ? input : fail();
    case 'literal':
      return input === node.literal ? input : fail(`expected ${JSON.stringify(node.literal)}`);
    case 'picklist':
      return node.options!.includes(input) ? input : fail(`expected one of ${node.options!.join(', ')}`);
    case 'optional':
      return input === undefined ? input : run(node.wrapped!, input, path);
    case 'custom':
      return node.check!(input) ? input : fail();
    case 'array':
      return Array.isArray(input) ? input.map((item, index) => run(node.item!, item, [...path, index])) : fail();
    case 'union':
      for (const option of node.options as SchemaNode[]) {
        if (accepts(option, input)) return run(option, input, path);
      }
      return fail();
    case 'variant': {
      if (!isObject(input)) return fail();
      const key = node.key as string;
      const match = (node.options as SchemaNode[]).find((option) => {
        const discriminator = option.entries![key]!;
        return key in input ? accepts(discriminator, input[key]) : discriminator.type === 'optional';
      });
      return match ? run(match, input, path) : fail(`unknown ${key}`, [...path, key]);
    }
    case 'object': {
      if (!isObject(input)) return fail();
      const output: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(node.entries!)) {
        if (key in input) output[key] = run(entry, input[key], [...path, key]);
        else if (entry.type !== 'optional') fail('is required', [...path, key]);
      }
      return output;
    }
    case 'record': {
      if (!isObject(input)) return fail();
      const output: Record<string, unknown> = {};
      for (const key in input) {
        if (!Object.hasOwn(input, key) || key === '__proto__' || key === 'prototype' || key === 'constructor') continue;
        output[run(node.key as SchemaNode, key, [...path, key]) as string] = run(node.value!, input[key], [
          ...path,
          key,
        ]);
      }
      return output;
    }
    default:
      return fail(`unsupported schema ${node.type}`);
  }
}

function accepts(node: SchemaNode, input: unknown): boolean {
  try {
    run(node, input);
    return true;
  } catch (error) {
    if (error instanceof Invalid) return false;
    throw error;
  }
}

/** An issue as valibot reports one: enough for `getDotPath` and the message. */
interface Issue {
  message: string;
  path: { key: string | number }[];
}

/**
 * valibot's `safeParse`: the output, or the first issue.
 *
 * @example
 * safeParse(object({ id: string() }), { id: 1 }); // { success: false, issues: [{ message: 'expected string', path: [{ key: 'id' }] }] }
 */
export function safeParse(
  node: SchemaNode,
  input: unknown,
): { success: true; output: unknown } | { success: false; issues: [Issue] } {
  try {
    return { success: true, output: run(node, input) };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return { success: false, issues: [{ message: error.message, path: error.path.map((key) => ({ key })) }] };
  }
}

/** valibot's `is`. */
export const is = accepts;

/** valibot's `getDotPath`: the issue's keys joined with dots, or null at the root. */
export const getDotPath = (issue: Issue): string | null =>
  issue.path.length > 0 ? issue.path.map((item) => item.key).join('.') : null;
