/** The agent login and logout calls over HTTP, with outcomes the login page can show as they are. */
import type { AgentInfo } from '../../protocol/index.js';

/** The part of `fetch` used here; the browser's and Node's both fit. */
export type FetchFunction = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ status: number; ok: boolean; json(): Promise<unknown> }>;

export type LoginOutcome =
  | { ok: true; token: string; agent: AgentInfo }
  | { ok: false; reason: 'credentials' | 'rate_limited' | 'invalid_input' | 'origin' | 'network' | 'server' };

/**
 * The message shown for each failed login. Unknown emails and wrong passwords get the same words,
 * so the page never tells whether an account exists.
 */
export const loginMessages: Record<Exclude<LoginOutcome, { ok: true }>['reason'], string> = {
  credentials: 'Wrong email or password.',
  rate_limited: 'Too many login attempts. Wait a few minutes, then try again.',
  invalid_input: 'Enter a valid email address and your password.',
  origin: 'Open the Hub from the chat server’s own address to log in.',
  network: 'Cannot reach the server. Check your connection and try again.',
  server: 'The server could not log you in right now. Try again in a moment.',
};

function isLoginBody(body: unknown): body is { token: string; agent: AgentInfo } {
  const record = body as { token?: unknown; agent?: { id?: unknown; name?: unknown } } | null;
  return (
    typeof record?.token === 'string' && typeof record.agent?.id === 'string' && typeof record.agent.name === 'string'
  );
}

/**
 * Logs an agent in: `POST /v1/agent/login`.
 *
 * @example
 * const outcome = await login('https://chat.example.com', 'ana@example.com', 'secret', fetch);
 * if (!outcome.ok) show(loginMessages[outcome.reason]);
 */
export async function login(url: string, email: string, password: string, fetch: FetchFunction): Promise<LoginOutcome> {
  let response;
  try {
    response = await fetch(`${url}/v1/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    return { ok: false, reason: 'network' };
  }
  if (response.status === 401) return { ok: false, reason: 'credentials' };
  if (response.status === 429) return { ok: false, reason: 'rate_limited' };
  if (response.status === 400) return { ok: false, reason: 'invalid_input' };
  if (response.status === 403) return { ok: false, reason: 'origin' };
  if (!response.ok) return { ok: false, reason: 'server' };
  const body = await response.json().catch(() => undefined);
  return isLoginBody(body) ? { ok: true, token: body.token, agent: body.agent } : { ok: false, reason: 'server' };
}

/**
 * Ends this session, or every session of the agent: `POST /v1/agent/logout`. Resolves true when
 * the server confirmed; a failure leaves the session alive on the server until it expires.
 *
 * @example
 * await logout('https://chat.example.com', token, { everywhere: true }, fetch);
 */
export async function logout(
  url: string,
  token: string,
  options: { everywhere: boolean },
  fetch: FetchFunction,
): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v1/agent/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ everywhere: options.everywhere }),
    });
    // 401: the session had already ended, which is what logging out wants.
    return response.ok || response.status === 401;
  } catch {
    return false;
  }
}
