/** Builds the services over one store and bus. */
import type { ServiceContext } from './context.js';
import { createConversations } from './conversations.js';
import { createIdentity } from './identity.js';
import { createLog } from './log.js';
import { createRequests } from './requests.js';
import { createRouting } from './routing.js';
import { createSessions } from './sessions.js';
import { createTranscripts } from './transcripts.js';

export function createServices(ctx: ServiceContext) {
  const log = createLog(ctx.db);
  const routing = createRouting(ctx, log);
  const conversations = createConversations(ctx, routing, log);
  return {
    ctx,
    sessions: createSessions(ctx),
    identity: createIdentity(ctx),
    routing,
    conversations,
    requests: createRequests(ctx, conversations),
    transcripts: createTranscripts(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
export type { Principal, AgentPrincipal, VisitorPrincipal } from './context.js';
export { hashPassword } from './sessions.js';
