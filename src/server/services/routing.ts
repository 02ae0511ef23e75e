/**
 * Routing: agent presence and status, offering new conversations to an available agent with
 * free capacity, the queue (with positions for visitors), take and transfer.
 */
import { ParleyError, type AgentInfo, type ServerFrame } from '../../protocol/index.js';
import { topics } from '../bus/index.js';
import { agentInfo, type AgentPrincipal, type ServiceContext } from './context.js';
import type { Log } from './log.js';
import { queueItems } from './views.js';

/** Most waiting chats listed in one queue frame; keeps the frame well under the size limit. */
const queueViewLimit = 100;

type AgentRow = {
  id: string;
  name: string;
  username: string | null;
  avatar_url: string | null;
  status: string;
  max_chats: number;
};

export function createRouting(ctx: ServiceContext, log: Log) {
  const { db, bus, now } = ctx;
  /** Live connections per agent on this node, and the timers that end their grace period. */
  const connections = new Map<string, number>();
  const graceTimers = new Map<string, NodeJS.Timeout>();
  /** Routing runs one pass at a time per account, so two passes never race for one agent. */
  const passes = new Map<string, Promise<void>>();
  /** Set when the server shuts down: no timers or passes start after the store closes. */
  let stopped = false;

  const isPresent = (agentId: string) => (connections.get(agentId) ?? 0) > 0 || graceTimers.has(agentId);

  async function accountAgents(accountId: string): Promise<AgentRow[]> {
    return db
      .selectFrom('agents')
      .select(['id', 'name', 'username', 'avatar_url', 'status', 'max_chats'])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute();
  }

  async function loads(accountId: string): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('conversations')
      .select((eb) => ['agent_id', eb.fn.countAll<number>().as('active')])
      .where('account_id', '=', accountId)
      .where('status', '=', 'active')
      .groupBy('agent_id')
      .execute();
    return new Map(rows.map((row) => [row.agent_id ?? '', Number(row.active)]));
  }

  const available = (agent: AgentRow) => agent.status === 'online' && isPresent(agent.id);

  /** Free seats of each available agent. */
  async function capacity(accountId: string): Promise<Map<string, { agent: AgentRow; free: number }>> {
    const [agents, load] = await Promise.all([accountAgents(accountId), loads(accountId)]);
    return new Map(
      agents.filter(available).map((agent) => [agent.id, { agent, free: agent.max_chats - (load.get(agent.id) ?? 0) }]),
    );
  }

  function publish(conversationId: string, frame: ServerFrame) {
    bus.publish(topics.conversation(conversationId), { kind: 'frame', frame });
  }

  /** Moves a queued conversation to an agent; false when someone else got there first. */
  async function assign(conversationId: string, agent: AgentInfo): Promise<boolean> {
    const frame = await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('conversations')
        .set({ status: 'active', agent_id: agent.id })
        .where('id', '=', conversationId)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return undefined;
      return log.append(trx, conversationId, { kind: 'conversation.assigned', agent }, now());
    });
    if (!frame) return false;
    publish(conversationId, frame);
    bus.publish(topics.agent(agent.id), { kind: 'join', conversationId });
    return true;
  }

  /** Offers waiting conversations, oldest first, to the least loaded available agents. */
  async function drain(accountId: string): Promise<void> {
    const queue = await queueItems(db, accountId);
    if (queue.length > 0) {
      const seats = await capacity(accountId);
      for (const item of queue) {
        const best = [...seats.values()].filter((seat) => seat.free > 0).sort((a, b) => b.free - a.free)[0];
        if (!best) break;
        if (await assign(item.conversationId, agentInfo(best.agent))) best.free -= 1;
      }
    }
    await broadcastQueue(accountId);
  }

  /** Sends agents the queue and each waiting visitor their position. */
  async function broadcastQueue(accountId: string): Promise<void> {
    const items = await queueItems(db, accountId);
    // The agents' view lists the oldest waiting chats; every visitor still learns their place.
    const view = items.slice(0, queueViewLimit);
    bus.publish(topics.agents(accountId), { kind: 'frame', frame: { type: 'queue', items: view } });
    items.forEach((item, index) =>
      publish(item.conversationId, {
        type: 'queue.position',
        conversationId: item.conversationId,
        position: index + 1,
      }),
    );
  }

  async function presenceFrame(accountId: string): Promise<ServerFrame> {
    const agents = await accountAgents(accountId);
    return {
      type: 'presence',
      agents: agents.map((agent) => ({
        ...agentInfo(agent),
        status: isPresent(agent.id) ? (agent.status === 'online' ? 'online' : 'paused') : 'offline',
      })),
    };
  }

  async function isOnline(accountId: string): Promise<boolean> {
    return (await accountAgents(accountId)).some(available);
  }

  /** Tells agents who is around and visitors whether anyone is; then offers waiting chats. */
  async function presenceChanged(accountId: string): Promise<void> {
    if (stopped) return;
    bus.publish(topics.agents(accountId), { kind: 'frame', frame: await presenceFrame(accountId) });
    const online = await isOnline(accountId);
    const widgets = await db.selectFrom('widgets').select('id').where('account_id', '=', accountId).execute();
    for (const widget of widgets)
      bus.publish(topics.widget(widget.id), { kind: 'frame', frame: { type: 'availability', online } });
    await route(accountId);
  }

  /** Runs a routing pass after the one under way, if any. */
  function route(accountId: string): Promise<void> {
    if (stopped) return Promise.resolve();
    const previous = passes.get(accountId) ?? Promise.resolve();
    const next = previous
      .then(() => drain(accountId))
      .catch((error: unknown) => console.error('routing pass failed', error));
    passes.set(accountId, next);
    void next.finally(() => {
      if (passes.get(accountId) === next) passes.delete(accountId);
    });
    return next;
  }

  return {
    route,
    isOnline,
    /** Stops presence timers and waits for routing passes under way, before the store closes. */
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of graceTimers.values()) clearTimeout(timer);
      graceTimers.clear();
      await Promise.all(passes.values());
    },
    presenceFrame,
    broadcastQueue,
    queue: async (accountId: string) => (await queueItems(db, accountId)).slice(0, queueViewLimit),

    agentConnected(principal: AgentPrincipal): Promise<void> {
      const wasPresent = isPresent(principal.agentId);
      connections.set(principal.agentId, (connections.get(principal.agentId) ?? 0) + 1);
      clearTimeout(graceTimers.get(principal.agentId));
      graceTimers.delete(principal.agentId);
      return wasPresent ? Promise.resolve() : presenceChanged(principal.accountId);
    },

    /** The agent stays present for a grace period, so a reconnect does not flap availability. */
    agentDisconnected(principal: AgentPrincipal): void {
      const left = (connections.get(principal.agentId) ?? 1) - 1;
      if (left > 0) return void connections.set(principal.agentId, left);
      connections.delete(principal.agentId);
      if (stopped) return;
      const timer = setTimeout(() => {
        graceTimers.delete(principal.agentId);
        void presenceChanged(principal.accountId).catch((error: unknown) =>
          console.error('presence update failed', error),
        );
      }, ctx.presenceGraceMs);
      timer.unref();
      graceTimers.set(principal.agentId, timer);
    },

    async setStatus(principal: AgentPrincipal, status: 'online' | 'paused'): Promise<void> {
      await db.updateTable('agents').set({ status }).where('id', '=', principal.agentId).execute();
      bus.publish(topics.agent(principal.agentId), { kind: 'frame', frame: { type: 'agent.status', status } });
      await presenceChanged(principal.accountId);
    },

    async status(agentId: string): Promise<'online' | 'paused'> {
      const row = await db.selectFrom('agents').select('status').where('id', '=', agentId).executeTakeFirstOrThrow();
      return row.status;
    },

    async take(principal: AgentPrincipal, conversationId: string): Promise<void> {
      const conversation = await db
        .selectFrom('conversations')
        .select(['account_id', 'status', 'agent_id'])
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!conversation || conversation.account_id !== principal.accountId)
        throw new ParleyError('not_found', 'no such conversation');
      if (conversation.status === 'active' && conversation.agent_id === principal.agentId) return;
      if (conversation.status !== 'queued' || !(await assign(conversationId, principal.info))) {
        throw new ParleyError('invalid_state', 'the conversation is no longer waiting');
      }
      await route(principal.accountId);
    },

    async transfer(principal: AgentPrincipal, conversationId: string, toAgentId: string, note?: string): Promise<void> {
      if (toAgentId === principal.agentId) throw new ParleyError('invalid_state', 'cannot transfer to yourself');
      const seat = (await capacity(principal.accountId)).get(toAgentId);
      if (!seat || seat.free <= 0)
        throw new ParleyError('agent_unavailable', 'the agent is not online or has no free capacity');
      const to = agentInfo(seat.agent);
      const frame = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('conversations')
          .set({ agent_id: toAgentId })
          .where('id', '=', conversationId)
          .where('account_id', '=', principal.accountId)
          .where('agent_id', '=', principal.agentId)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return undefined;
        return log.append(
          trx,
          conversationId,
          { kind: 'conversation.transferred', from: principal.info, to, ...(note ? { note } : {}) },
          now(),
        );
      });
      if (!frame) throw new ParleyError('forbidden', 'only the assigned agent can transfer an active conversation');
      publish(conversationId, frame);
      bus.publish(topics.agent(toAgentId), { kind: 'join', conversationId });
      bus.publish(topics.agent(principal.agentId), { kind: 'leave', conversationId });
      await route(principal.accountId);
    },
  };
}

export type Routing = ReturnType<typeof createRouting>;
