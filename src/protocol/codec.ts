/** Decoding with coded errors: one path for both ends, so both validate every frame alike. */
import * as v from 'valibot';
import { clientFrameSchemas, visitorClientFrameSchemas, type ClientFrame } from './client-frames.js';
import { Id } from './fields.js';
import type { ErrorCode } from './errors.js';
import { limits } from './limits.js';
import { serverFrameSchemas, visitorServerFrameSchemas, type ServerFrame } from './server-frames.js';
import { PROTOCOL_VERSION } from './version.js';

export type Decoded<F> =
  { ok: true; frame: F } | { ok: false; code: ErrorCode; message: string; ref?: string; clientId?: string };

type SchemaMap = Record<string, v.GenericSchema>;

/** A check that runs before the schema, for errors more precise than `bad_frame`. */
type PreCheck = (type: string, data: Record<string, unknown>) => Decoded<never> | undefined;

function decodeWith<F>(schemas: SchemaMap, raw: unknown, preCheck?: PreCheck): Decoded<F> {
  const size = typeof raw === 'string' ? raw.length : 0;
  if (typeof raw !== 'string') return { ok: false, code: 'bad_frame', message: 'frame must be a JSON text' };
  // A UTF-16 length over the byte limit is over it in UTF-8 too; the transport enforces bytes.
  if (size > limits.maxFrameBytes)
    return { ok: false, code: 'too_large', message: `frame over ${limits.maxFrameBytes} bytes` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'bad_frame', message: 'frame is not valid JSON' };
  }
  return validate<F>(schemas, data, preCheck);
}

/** The ref and client id of a rejected frame, echoed only when they are valid ids. */
function correlation(data: object): { ref?: string; clientId?: string } {
  const out: { ref?: string; clientId?: string } = {};
  const record = data as Record<string, unknown>;
  if (v.is(Id, record.ref)) out.ref = record.ref;
  if (v.is(Id, record.clientId)) out.clientId = record.clientId;
  return out;
}

function validate<F>(schemas: SchemaMap, data: unknown, preCheck?: PreCheck): Decoded<F> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object' };
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string')
    return { ok: false, code: 'bad_frame', message: 'frame has no string "type"', ...correlation(data) };
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (!schema)
    return {
      ok: false,
      code: 'unknown_type',
      message: `unknown frame type "${type.slice(0, 40)}"`,
      ...correlation(data),
    };
  const early = preCheck?.(type, data as Record<string, unknown>);
  if (early) return early;
  const result = v.safeParse(schema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue) ?? '(frame)';
    return {
      ok: false,
      code: 'bad_frame',
      message: `${type}: ${path} ${issue.message}`.slice(0, 500),
      ...correlation(data),
    };
  }
  return { ok: true, frame: result.output as F };
}

/**
 * Decodes a frame received by the server.
 *
 * @example
 * const decoded = decodeClientFrame('{"type":"ping"}');
 * if (decoded.ok) console.log(decoded.frame.type); // "ping"
 */
export function decodeClientFrame(raw: unknown): Decoded<ClientFrame> {
  return decodeWith<ClientFrame>(clientFrameSchemas, raw, checkVersion);
}

/** Validates an already-parsed client frame (the HTTP fallback receives JSON bodies). */
export function validateClientFrame(data: unknown): Decoded<ClientFrame> {
  return validate<ClientFrame>(clientFrameSchemas, data, checkVersion);
}

/**
 * A hello for another version is refused as such before its shape is judged: a future version
 * may change the shape, and only `unsupported_version` tells a client not to retry.
 */
function checkVersion(type: string, data: Record<string, unknown>): Decoded<never> | undefined {
  if (type !== 'hello' || !Number.isSafeInteger(data.v) || data.v === PROTOCOL_VERSION) return undefined;
  return {
    ok: false,
    code: 'unsupported_version',
    message: `protocol v${String(data.v).slice(0, 20)} is not supported; use v${PROTOCOL_VERSION}`,
  };
}

/** Decodes a frame received by a client of either role. */
export function decodeServerFrame(raw: unknown): Decoded<ServerFrame> {
  return decodeWith<ServerFrame>(serverFrameSchemas, raw);
}

/**
 * Decodes a frame received by a visitor: an agent-only type is `unknown_type` here. The widget
 * uses this pair so that the agent-only schemas stay out of its bundle.
 *
 * @example
 * decodeVisitorServerFrame('{"type":"queue","items":[]}'); // { ok: false, code: 'unknown_type', … }
 */
export function decodeVisitorServerFrame(raw: unknown): Decoded<ServerFrame> {
  return decodeWith<ServerFrame>(visitorServerFrameSchemas, raw);
}

/** Validates a frame a visitor is about to send: an agent-only type is `unknown_type` here. */
export function validateVisitorClientFrame(data: unknown): Decoded<ClientFrame> {
  return validate<ClientFrame>(visitorClientFrameSchemas, data, checkVersion);
}
