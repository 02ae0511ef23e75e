/** The logged-in session kept in localStorage, so a reload or a new tab needs no second login. */
import type { AgentInfo } from '../../protocol/index.js';

export interface SavedSession {
  token: string;
  agent: AgentInfo;
}

/** The part of `Storage` used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const key = 'parley.hub.session';

/**
 * Reads the saved session; undefined when none, unreadable, or storage is blocked.
 *
 * @example
 * const saved = readSession(localStorage);
 */
export function readSession(storage: StorageLike | undefined): SavedSession | undefined {
  try {
    const parsed = JSON.parse(storage?.getItem(key) ?? 'null') as Partial<SavedSession> | null;
    if (typeof parsed?.token !== 'string' || typeof parsed.agent?.id !== 'string') return undefined;
    if (typeof parsed.agent.name !== 'string') return undefined;
    return { token: parsed.token, agent: parsed.agent };
  } catch {
    return undefined;
  }
}

/**
 * Saves the session; storage that refuses (private mode, quota) only costs the next reload a login.
 *
 * @example
 * writeSession(localStorage, { token, agent });
 */
export function writeSession(storage: StorageLike | undefined, session: SavedSession): void {
  try {
    storage?.setItem(key, JSON.stringify(session));
  } catch {
    // See above.
  }
}

/**
 * Forgets the saved session.
 *
 * @example
 * clearSession(localStorage);
 */
export function clearSession(storage: StorageLike | undefined): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Nothing to forget.
  }
}
