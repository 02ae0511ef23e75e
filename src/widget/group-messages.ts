/** Groups consecutive messages by author, the way chat apps stack bubbles under one name and time. */
import type { ChatMessage } from '../sdk/types.js';

/** Who a group is from; proactive invitations count as the team, whoever the SDK named. */
export type GroupAuthor = 'visitor' | 'agent' | 'system' | 'team';

export interface MessageGroup {
  author: GroupAuthor;
  /** The agent's name, when the messages carry one. */
  name?: string;
  /** When the group's first message was sent. */
  at: number;
  messages: ChatMessage[];
}

/** A pause longer than this starts a new group, so each group's single time stays true. */
const groupGapMs = 5 * 60_000;

/**
 * Groups consecutive messages of one author sent within five minutes of each other.
 * @example
 * groupMessages(messages).map((group) => `${group.author}: ${group.messages.length}`);
 */
export function groupMessages(messages: ChatMessage[]): MessageGroup[] {
  const groups: MessageGroup[] = [];
  let last: MessageGroup | undefined;
  let lastAt = 0;
  for (const message of messages) {
    const author: GroupAuthor = message.proactive ? 'team' : message.author.role;
    const name = author === 'agent' ? message.author.name : undefined;
    if (!last || last.author !== author || last.name !== name || message.at - lastAt > groupGapMs) {
      last = { author, name, at: message.at, messages: [] };
      groups.push(last);
    }
    last.messages.push(message);
    lastAt = message.at;
  }
  return groups;
}
