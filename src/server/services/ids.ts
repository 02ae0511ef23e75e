/** Identifiers and secrets: random ids, unguessable tokens, and the hashes we store instead. */
import { createHash, randomBytes, randomFillSync, randomUUID } from 'node:crypto';

/** Random bits per id, in bytes. */
const idBytes = 10;
/** Random bytes for ids, filled 256 ids at a time: one call into the CSPRNG serves many rows. */
const idPool = Buffer.allocUnsafe(idBytes * 256);
let idOffset = idPool.length;
/** The time part of ids, kept for the millisecond it was made in. */
let stampAt = 0;
let stamp = '';

/**
 * A short id for rows (URL-safe): the creation time in milliseconds (9 base-36 digits, so ids
 * sort by time) and 80 random bits. New rows then land side by side in the primary-key index
 * instead of dirtying a random page of it on every insert.
 */
export function newId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  idOffset += idBytes;
  const now = Date.now();
  if (now !== stampAt) {
    stampAt = now;
    stamp = now.toString(36).padStart(9, '0');
  }
  return stamp + idPool.toString('base64url', idOffset - idBytes, idOffset);
}

export function newUuid(): string {
  return randomUUID();
}

/** A session token: the role prefix lets one endpoint tell visitor and agent tokens apart. */
export function newToken(role: 'visitor' | 'agent'): string {
  return `${role === 'visitor' ? 'v' : 'a'}_${randomBytes(32).toString('base64url')}`;
}

export function roleOfToken(token: string): 'visitor' | 'agent' | undefined {
  if (token.startsWith('v_')) return 'visitor';
  if (token.startsWith('a_')) return 'agent';
  return undefined;
}

/** Tokens carry 256 random bits, so a fast hash is enough; only the hash is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
