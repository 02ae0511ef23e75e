/** One conversation as the Hub shows it, and the pure reducer that builds it from sequenced frames. */
import type { AgentInfo, SequencedFrame, VisitorInfo } from '../../protocol/index.js';

export type ChatStatus = 'queued' | 'active' | 'ended';

export interface Chat {
  id: string;
  visitor: VisitorInfo;
  status: ChatStatus;
  /** The agent the chat is assigned to, if any. */
  agent?: AgentInfo;
  startedAt: number;
  /** The highest sequence number applied; frames at or below it are ignored. */
  lastSeq: number;
  /** Every sequenced frame, in order: messages and events (assigned, transferred, ended, survey). */
  timeline: SequencedFrame[];
  /** Visitor messages that arrived while the agent was not looking at this chat. */
  unread: number;
  /** True while the visitor is typing. */
  visitorTyping: boolean;
  /** The visitor's unsent text (sneak peek), empty when none. */
  sneakPeek: string;
  survey?: { score: number; comment?: string };
  endedBy?: 'visitor' | 'agent' | 'system';
  /** Time of the latest frame, for sorting and "last activity". */
  lastActivity: number;
}

/**
 * A new, empty chat.
 *
 * @example
 * const chat = emptyChat('c1', { id: 'v1', verified: false }, Date.now());
 */
export function emptyChat(id: string, visitor: VisitorInfo, startedAt: number): Chat {
  return {
    id,
    visitor,
    status: 'queued',
    startedAt,
    lastSeq: 0,
    timeline: [],
    unread: 0,
    visitorTyping: false,
    sneakPeek: '',
    lastActivity: startedAt,
  };
}

/**
 * Applies one sequenced frame and returns the new chat, or the same chat when the frame was
 * already applied (its seq is not above `lastSeq`). Applying frames only in this one place, and
 * only once per seq, is what keeps each message on screen exactly once.
 *
 * @example
 * let chat = applyFrame(undefined, startedFrame); // creates the chat
 * chat = applyFrame(chat, messageFrame);           // appends the message
 * applyFrame(chat, messageFrame) === chat;         // true: a repeat changes nothing
 */
export function applyFrame(chat: Chat | undefined, frame: SequencedFrame): Chat {
  const base = chat ?? emptyChat(frame.conversationId, { id: 'unknown', verified: false }, frame.at);
  if (frame.seq <= base.lastSeq) return base;
  const next: Chat = {
    ...base,
    lastSeq: frame.seq,
    timeline: [...base.timeline, frame],
    lastActivity: Math.max(base.lastActivity, frame.at),
  };
  switch (frame.type) {
    case 'conversation.started':
      next.visitor = frame.visitor;
      next.startedAt = frame.at;
      break;
    case 'message':
      if (frame.author.role === 'visitor') {
        next.visitorTyping = false;
        next.sneakPeek = '';
      }
      break;
    case 'conversation.assigned':
      next.status = 'active';
      next.agent = frame.agent;
      break;
    case 'conversation.transferred':
      next.agent = frame.to;
      break;
    case 'conversation.ended':
      next.status = 'ended';
      next.endedBy = frame.by;
      next.visitorTyping = false;
      next.sneakPeek = '';
      break;
    case 'survey.submitted':
      next.survey =
        frame.comment === undefined ? { score: frame.score } : { score: frame.score, comment: frame.comment };
      break;
  }
  return next;
}

/**
 * Whether the chat is the given agent's to answer: active and assigned to them.
 *
 * @example
 * if (isMine(chat, self.id)) showComposer();
 */
export function isMine(chat: Chat, agentId: string): boolean {
  return chat.status === 'active' && chat.agent?.id === agentId;
}

/**
 * A display name for the visitor: their name, else their email, else a short id.
 *
 * @example
 * visitorLabel({ id: 'a1b2c3d4e5', verified: false }); // "Visitor a1b2c3"
 */
export function visitorLabel(visitor: VisitorInfo): string {
  return visitor.name || visitor.email || `Visitor ${visitor.id.slice(0, 6)}`;
}
