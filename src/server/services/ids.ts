/** Identifiers and secrets: random ids, unguessable tokens, and the hashes we store instead. */
import { createHash, randomBytes, randomFillSync, randomUUID } from 'node:crypto';

const idBytes = 16;
/** Random bytes for ids, filled 256 ids at a time: one call into the CSPRNG serves many rows. */
const idPool = Buffer.allocUnsafe(idBytes * 256);
let idOffset = idPool.length;

/** A short random id for rows (URL-safe, 128 bits). */
export function newId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  idOffset += idBytes;
  return idPool.toString('base64url', idOffset - idBytes, idOffset);
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
