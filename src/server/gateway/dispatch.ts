/**
 * Turns one validated client frame into service calls and returns the direct replies (ack, ok,
 * error, history, pong). Both transports use it, so WebSocket and HTTP fallback behave alike.
 */
import { ParleyError, type ClientFrame, type ServerFrame } from '../../protocol/index.js';
import type { RateLimiter } from '../rate-limit.js';
import type { AgentPrincipal, Principal, Services, VisitorPrincipal } from '../services/index.js';

export interface DispatchDeps {
  services: Services;
  /** Message rate per session. */
  messageLimiter: RateLimiter;
}

function asVisitor(principal: Principal, type: string): VisitorPrincipal {
  if (principal.role !== 'visitor') throw new ParleyError('forbidden', `${type} is for visitors`);
  return principal;
}

function asAgent(principal: Principal, type: string): AgentPrincipal {
  if (principal.role !== 'agent') throw new ParleyError('forbidden', `${type} is for agents`);
  return principal;
}

/** The error frame for a failure, correlated with the frame that caused it. */
export function errorFrame(error: unknown, cause?: { ref?: string; clientId?: string }): ServerFrame {
  const coded = error instanceof ParleyError ? error : undefined;
  if (!coded) console.error('frame handling failed', error);
  return {
    type: 'error',
    code: coded?.code ?? 'internal',
    message: (coded?.message ?? 'internal error; retry with the same ids').slice(0, 500),
    ...(cause?.ref ? { ref: cause.ref } : {}),
    ...(cause?.clientId ? { clientId: cause.clientId } : {}),
  };
}

async function handle(deps: DispatchDeps, principal: Principal, frame: ClientFrame): Promise<ServerFrame | undefined> {
  const { conversations, routing, requests } = deps.services;
  const ok = (ref: string): ServerFrame => ({ type: 'ok', ref });
  switch (frame.type) {
    case 'hello':
      throw new ParleyError('bad_frame', 'hello is only valid as the first frame of a connection');
    case 'ping':
      return { type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) };
    case 'message.send':
      if (!deps.messageLimiter.take(principal.sessionId))
        throw new ParleyError('rate_limited', 'too many messages; slow down');
      return conversations.send(principal, frame);
    case 'typing':
      await conversations.typing(principal, frame);
      return undefined;
    case 'conversation.take':
      await routing.take(asAgent(principal, frame.type), frame.conversationId);
      return ok(frame.ref);
    case 'conversation.transfer':
      await routing.transfer(asAgent(principal, frame.type), frame.conversationId, frame.toAgentId, frame.note);
      return ok(frame.ref);
    case 'conversation.end':
      await conversations.end(principal, frame.conversationId);
      return ok(frame.ref);
    case 'agent.status':
      await routing.setStatus(asAgent(principal, frame.type), frame.status);
      return ok(frame.ref);
    case 'callme.request':
      await requests.callMe(asVisitor(principal, frame.type), frame);
      return ok(frame.ref);
    case 'callme.done':
      await requests.callMeDone(asAgent(principal, frame.type), frame.id);
      return ok(frame.ref);
    case 'offline.message':
      await requests.offlineMessage(asVisitor(principal, frame.type), frame);
      return ok(frame.ref);
    case 'offline.handled':
      await requests.offlineHandled(asAgent(principal, frame.type), frame.id);
      return ok(frame.ref);
    case 'survey.submit':
      await conversations.survey(asVisitor(principal, frame.type), frame);
      return ok(frame.ref);
    case 'visitor.identify':
      await deps.services.identity.identify(asVisitor(principal, frame.type), frame);
      return ok(frame.ref);
    case 'visitor.get':
      return {
        type: 'visitor.details',
        ref: frame.ref,
        visitor: await deps.services.transcripts.visitor(asAgent(principal, frame.type), frame.visitorId),
      };
    case 'transcripts.search':
      return {
        type: 'transcripts.result',
        ref: frame.ref,
        ...(await deps.services.transcripts.search(asAgent(principal, frame.type), frame)),
      };
    case 'requests.list':
      return {
        type: 'requests.result',
        ref: frame.ref,
        ...(await deps.services.transcripts.requests(asAgent(principal, frame.type), frame.kind, frame.open ?? false)),
      };
    case 'visitor.update':
      await requests.updateVisitor(asVisitor(principal, frame.type), frame);
      return ok(frame.ref);
    case 'history': {
      const page = await conversations.history(principal, frame.conversationId, frame.afterSeq, frame.limit);
      return { type: 'history.result', ref: frame.ref, conversationId: frame.conversationId, ...page };
    }
  }
}

/**
 * Handles one frame; never throws. Failures come back as coded error frames.
 *
 * @example
 * const replies = await dispatch(deps, principal, { type: 'ping' }); // [{ type: 'pong' }]
 */
export async function dispatch(deps: DispatchDeps, principal: Principal, frame: ClientFrame): Promise<ServerFrame[]> {
  try {
    const reply = await handle(deps, principal, frame);
    return reply ? [reply] : [];
  } catch (error) {
    return [errorFrame(error, frame as { ref?: string; clientId?: string })];
  }
}
