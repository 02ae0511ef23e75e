/**
 * HTTP routes (hono): health, the public widget config, visitor sessions, agent login and
 * logout, the HTTP fallback transport, and the built assets.
 */
import type { HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context as HonoContext } from 'hono';
import { streamSSE } from 'hono/streaming';
import * as v from 'valibot';
import {
  errorCodes,
  limits,
  ParleyError,
  validateClientFrame,
  type ErrorCode,
  type ServerFrame,
} from '../../protocol/index.js';
import type { ServerConfig } from '../config.js';
import { admit } from '../gateway/admit.js';
import { dispatch, type DispatchDeps } from '../gateway/dispatch.js';
import { frameText, tooFarBehind } from '../gateway/outbox.js';
import { Peer } from '../gateway/peer.js';
import type { RateLimiter } from '../rate-limit.js';
import type { AgentPrincipal, Services, VisitorPrincipal } from '../services/index.js';
import type { Store } from '../store/open.js';
import type { OriginPolicy } from './origin.js';
import { mountAssets } from './assets.js';
import { segmentStub } from './segment-stub.js';

export interface AppDeps extends DispatchDeps {
  config: ServerConfig;
  store: Store;
  services: Services;
  origins: OriginPolicy;
  sessionLimiter: RateLimiter;
  loginLimiter: RateLimiter;
}

type Env = { Bindings: HttpBindings };
type Context = HonoContext<Env>;

const statusOf: Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 413 | 429 | 500>> = {
  bad_frame: 400,
  unknown_type: 400,
  unsupported_version: 400,
  too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  rate_limited: 429,
  internal: 500,
};

function fail(c: Context, code: ErrorCode, message: string = errorCodes[code]) {
  return c.json({ error: { code, message } }, statusOf[code] ?? 400);
}

const LoginBody = v.object({
  email: v.pipe(v.string(), v.maxLength(254), v.email()),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});
const LogoutBody = v.object({ everywhere: v.optional(v.boolean()) });
const FramesBody = v.object({
  frames: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(limits.maxFramesPerPost)),
});
const WidgetId = v.pipe(v.string(), v.uuid());

/** Reads a JSON body no larger than the frame limit; undefined when absent, malformed or too big. */
async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.length > limits.maxFrameBytes) throw new ParleyError('too_large', `body over ${limits.maxFrameBytes} bytes`);
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ParleyError('bad_frame', 'body is not valid JSON');
  }
}

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer (\S{16,256})$/.exec(header);
  if (!match?.[1]) throw new ParleyError('unauthorized', 'missing bearer token');
  return match[1];
}

export function createApp(deps: AppDeps): Hono<Env> {
  const { services, origins, config } = deps;
  const app = new Hono<Env>();

  app.onError((error, c) => {
    if (error instanceof ParleyError) return fail(c, error.code, error.message);
    console.error('request failed', error);
    return fail(c, 'internal');
  });

  /** CORS for visitor endpoints: only origins on the widget's allow-list get an answer. */
  async function visitorCors(c: Context, widgetId: string | undefined): Promise<void> {
    const origin = c.req.header('origin');
    c.header('Vary', 'Origin');
    if (!widgetId || !v.is(WidgetId, widgetId)) {
      if (origin !== undefined)
        throw new ParleyError('origin_not_allowed', 'visitor requests from a page need ?widget=<id>');
      return;
    }
    if (!(await origins.widgetAllows(widgetId, origin))) {
      const exists = await services.ctx.db
        .selectFrom('widgets')
        .select('id')
        .where('id', '=', widgetId)
        .executeTakeFirst();
      throw exists
        ? new ParleyError('origin_not_allowed', "the page's origin is not on the widget's allow-list")
        : new ParleyError('not_found', 'unknown widget');
    }
    if (origin) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Headers', 'authorization, content-type');
      c.header('Access-Control-Allow-Methods', 'GET, POST, DELETE');
      c.header('Access-Control-Max-Age', '600');
    }
  }

  const widgetOfRequest = (c: Context) => c.req.param('widgetId') ?? c.req.query('widget');

  for (const path of ['/v1/widgets/:widgetId/*', '/v1/visitor/*', '/v1/stream', '/v1/frames']) {
    app.options(path, async (c) => {
      await visitorCors(c, widgetOfRequest(c));
      return c.body(null, 204);
    });
  }

  // Public and open to any origin: clients probe it to tell a blocked WebSocket from a server that is down.
  app.get('/healthz', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    return (await deps.store.ping()) ? c.json({ ok: true }) : c.json({ ok: false }, 503);
  });

  /** Public, cacheable widget settings; holds no visitor data. */
  app.get('/v1/widgets/:widgetId/config', async (c) => {
    const widgetId = c.req.param('widgetId');
    await visitorCors(c, widgetId);
    const widget = await services.sessions.widgetOf(widgetId);
    c.header('Cache-Control', 'public, max-age=15');
    return c.json({
      widgetId: widget.id,
      name: widget.name,
      online: await services.routing.isOnline(widget.account_id),
      settings: JSON.parse(widget.settings) as unknown,
    });
  });

  /** A visitor session, created only when the widget asks (after consent). */
  app.post('/v1/widgets/:widgetId/sessions', async (c) => {
    const widgetId = c.req.param('widgetId');
    await visitorCors(c, widgetId);
    const ip = getConnInfo(c).remote.address ?? 'unknown';
    if (!deps.sessionLimiter.take(ip)) return fail(c, 'rate_limited', 'too many new sessions from this address');
    const session = await services.sessions.createVisitorSession(widgetId);
    return c.json({ token: session.token, visitorId: session.visitorId }, 201);
  });

  /** Ends the caller's visitor session (clearAll): the token stops working at once. */
  app.delete('/v1/visitor/session', async (c) => {
    await visitorCors(c, c.req.query('widget'));
    const principal = (await services.sessions.authenticate(bearer(c), 'visitor')) as VisitorPrincipal;
    await services.sessions.endVisitorSession(principal);
    return c.body(null, 204);
  });

  app.post('/v1/agent/login', async (c) => {
    if (!origins.isSelf(c.req.header('origin'), c.env.incoming.headers)) return fail(c, 'origin_not_allowed');
    const body = v.safeParse(LoginBody, await jsonBody(c));
    if (!body.success) return fail(c, 'bad_frame', 'login needs an email and a password');
    const ip = getConnInfo(c).remote.address ?? 'unknown';
    const email = body.output.email.toLowerCase();
    if (!deps.loginLimiter.take(`ip:${ip}`) || !deps.loginLimiter.take(`email:${email}`)) {
      return fail(c, 'rate_limited', 'too many login attempts; wait a few minutes');
    }
    const { token, principal } = await services.sessions.login(email, body.output.password);
    return c.json({ token, agent: principal.info });
  });

  app.post('/v1/agent/logout', async (c) => {
    if (!origins.isSelf(c.req.header('origin'), c.env.incoming.headers)) return fail(c, 'origin_not_allowed');
    const principal = (await services.sessions.authenticate(bearer(c), 'agent')) as AgentPrincipal;
    const body = v.safeParse(LogoutBody, await jsonBody(c));
    if (!body.success) return fail(c, 'bad_frame', 'logout takes { everywhere?: boolean }');
    const ended = await services.sessions.logout(principal, body.output.everywhere ?? false);
    return c.json({ ended });
  });

  /** HTTP fallback, downstream: the hello in the body, server frames as server-sent events. */
  app.post('/v1/stream', async (c) => {
    const widgetId = c.req.query('widget');
    if (widgetId) await visitorCors(c, widgetId);
    const decoded = validateClientFrame(await jsonBody(c));
    if (!decoded.ok) return fail(c, decoded.code, decoded.message);
    if (decoded.frame.type !== 'hello') return fail(c, 'hello_required');
    const hello = decoded.frame;
    if (hello.v !== 1) return fail(c, 'unsupported_version');
    const principal = await admit(services, origins, hello, {
      origin: c.req.header('origin'),
      headers: c.env.incoming.headers,
      widgetId,
    });
    return streamSSE(c, async (stream) => {
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      // JSON has no raw newlines, so each frame is one `data:` line; write() keeps call order.
      // Writes resolve as the client takes them: what is pending is what a slow client holds up.
      let unsent = 0;
      let behind = false;
      const send = (frame: ServerFrame) => {
        if (behind) return;
        const text = `data: ${frameText(frame)}\n\n`;
        unsent += text.length;
        void stream.write(text).then(() => (unsent -= text.length));
        // The client reconnects and resumes from its last seq, as after any dropped stream.
        behind = tooFarBehind(unsent, config.outboundBufferBytes);
        if (behind) finish();
      };
      const peer = new Peer(services, principal, { send, end: () => finish() }, config.heartbeatMs);
      const heartbeat = setInterval(() => void stream.write(':hb\n\n'), config.heartbeatMs);
      stream.onAbort(() => finish());
      try {
        await peer.start(hello);
        await finished;
      } finally {
        clearInterval(heartbeat);
        peer.dispose();
      }
    });
  });

  /** HTTP fallback, upstream: frames in, direct replies out; any node can serve it. */
  app.post('/v1/frames', async (c) => {
    const widgetId = c.req.query('widget');
    if (widgetId) await visitorCors(c, widgetId);
    const body = v.safeParse(FramesBody, await jsonBody(c));
    if (!body.success)
      return fail(c, 'bad_frame', `body must be { "frames": [1 to ${limits.maxFramesPerPost} frames] }`);
    const principal = await admit(
      services,
      origins,
      { token: bearer(c) },
      { origin: c.req.header('origin'), headers: c.env.incoming.headers, widgetId },
    );
    const replies: ServerFrame[] = [];
    for (const raw of body.output.frames) {
      const decoded = validateClientFrame(raw);
      if (!decoded.ok) {
        const { code, message, ref, clientId } = decoded;
        replies.push({ type: 'error', code, message, ...(ref ? { ref } : {}), ...(clientId ? { clientId } : {}) });
        continue;
      }
      replies.push(...(await dispatch(deps, principal, decoded.frame)));
    }
    return c.json({ frames: replies });
  });

  mountAssets(app, config);
  if (config.demo) app.route('/demo/segment', segmentStub('/demo/segment'));
  app.notFound((c) => fail(c, 'not_found', 'no such route'));
  return app;
}
