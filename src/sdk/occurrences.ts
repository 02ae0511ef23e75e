/**
 * What each conversation frame means to the page: the plain events (`messageReceived`, …) and the
 * Live Chat events of Segment's spec, with their properties, from the facts known at that frame.
 */
import type { AgentInfo, SequencedFrame } from '../protocol/index.js';
import type { LiveChatProperties, ParleyEventName, ParleyEvents } from './api-types.js';

/** What the log has told so far about one conversation. */
export interface ConversationFacts {
  id: string;
  status: 'queued' | 'active' | 'ended';
  startedAt?: number;
  agent?: AgentInfo;
  queuePosition?: number;
  lastMessageId?: string;
  lastSeq: number;
  visitorMessages: number;
  surveySubmitted: boolean;
}

/** One event with its payload, ready to emit. */
export type Occurrence = { [E in ParleyEventName]: [E, ParleyEvents[E]] }[ParleyEventName];

export interface FrameOccurrences {
  /** Events for this page's listeners. */
  page: Occurrence[];
  /** Live Chat events, emitted once for the whole browser. */
  analytics: Occurrence[];
}

/**
 * A new conversation's facts, before its first frame.
 *
 * @example
 * const facts = newFacts('c1');
 */
export function newFacts(id: string): ConversationFacts {
  return { id, status: 'queued', lastSeq: 0, visitorMessages: 0, surveySubmitted: false };
}

/** The spec's properties at time `at`; what is not known yet is left out. */
function liveChatProperties(
  facts: ConversationFacts,
  at: number,
  message?: { id: string; body: string; agent?: AgentInfo },
): LiveChatProperties {
  const agent = message ? message.agent : facts.agent;
  return {
    ...(agent ? { agent_id: agent.id, agent_name: agent.name } : {}),
    ...(agent?.username ? { agent_username: agent.username } : {}),
    conversation_id: facts.id,
    ...(facts.startedAt === undefined
      ? {}
      : { conversation_duration: Math.max(0, Math.floor((at - facts.startedAt) / 1000)) }),
    ...(message
      ? { message_id: message.id, message_body: message.body }
      : facts.lastMessageId
        ? { message_id: facts.lastMessageId }
        : {}),
  };
}

/**
 * Applies one frame of a conversation's log to its facts and returns the events it means. Frames
 * come once each and in order (the transport guarantees it); whether they are live or history is
 * the caller's decision, since history frames must update the facts without firing anything.
 *
 * @example
 * const { page, analytics } = applyFrame(facts, frame);
 * // a visitor's first message: page [chatStarted, messageSent],
 * // analytics [Live Chat Conversation Started, Live Chat Message Sent]
 */
export function applyFrame(facts: ConversationFacts, frame: SequencedFrame): FrameOccurrences {
  const page: Occurrence[] = [];
  const analytics: Occurrence[] = [];
  const conversationId = facts.id;
  facts.lastSeq = frame.seq;
  switch (frame.type) {
    case 'conversation.started':
      facts.startedAt = frame.at;
      break;
    case 'conversation.assigned':
      facts.agent = frame.agent;
      facts.status = 'active';
      facts.queuePosition = undefined;
      break;
    case 'conversation.transferred':
      facts.agent = frame.to;
      break;
    case 'message': {
      facts.lastMessageId = frame.id;
      const messageId = frame.id;
      const body = frame.body;
      if (frame.author.role === 'visitor') {
        facts.visitorMessages += 1;
        if (facts.visitorMessages === 1) {
          page.push(['chatStarted', { conversationId }]);
          // The conversation starts with this message: no agent yet, duration 0 by definition.
          analytics.push(['Live Chat Conversation Started', liveChatProperties(facts, frame.at, undefined)]);
        }
        page.push(['messageSent', { conversationId, messageId, body }]);
        analytics.push([
          'Live Chat Message Sent',
          liveChatProperties(facts, frame.at, { id: messageId, body, ...agentOf(facts) }),
        ]);
      } else if (frame.author.role === 'agent') {
        const agent = authorAgent(facts, frame.author);
        page.push([
          'messageReceived',
          { conversationId, messageId, body, ...(agent ? { agent: summary(agent) } : {}) },
        ]);
        analytics.push([
          'Live Chat Message Received',
          liveChatProperties(facts, frame.at, { id: messageId, body, ...(agent ? { agent } : {}) }),
        ]);
      }
      break;
    }
    case 'conversation.ended':
      facts.status = 'ended';
      page.push(['chatEnded', { conversationId, by: frame.by }]);
      analytics.push(['Live Chat Conversation Ended', liveChatProperties(facts, frame.at)]);
      break;
    case 'survey.submitted':
      facts.surveySubmitted = true;
      page.push([
        'surveySubmitted',
        { conversationId, score: frame.score, ...(frame.comment === undefined ? {} : { comment: frame.comment }) },
      ]);
      break;
  }
  return { page, analytics };
}

function agentOf(facts: ConversationFacts): { agent?: AgentInfo } {
  return facts.agent ? { agent: facts.agent } : {};
}

/** The agent who wrote a message: the assigned one when the ids match (it knows the username). */
function authorAgent(facts: ConversationFacts, author: { id?: string; name?: string }): AgentInfo | undefined {
  if (facts.agent && (author.id === undefined || author.id === facts.agent.id)) return facts.agent;
  if (author.id && author.name) return { id: author.id, name: author.name };
  return undefined;
}

function summary(agent: AgentInfo): { id: string; name: string; username?: string } {
  return { id: agent.id, name: agent.name, ...(agent.username ? { username: agent.username } : {}) };
}
