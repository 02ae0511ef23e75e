/** Decides what the chat box body shows for a state. */
import type { ChatViewState } from '../sdk/types.js';

/** `consent`: the "Start chat" step; `offline`: the leave-a-message form; `survey`: after an end. */
export type ChatView = 'consent' | 'offline' | 'survey' | 'chat';

/**
 * The body of the chat box: consent comes first, then a survey owed for an ended chat (unless the
 * visitor skipped it), then the offline form when nobody is online and no chat is open.
 * @example
 * pickView({ ...state, consent: 'pending' }, undefined); // "consent"
 */
export function pickView(state: ChatViewState, skippedSurveyOf: string | undefined): ChatView {
  const conversation = state.conversation;
  const ended = conversation?.status === 'ended';
  if (state.consent === 'pending') return 'consent';
  if (ended && !conversation.surveySubmitted && skippedSurveyOf !== conversation.id) return 'survey';
  if (!state.online && (!conversation || ended)) return 'offline';
  return 'chat';
}
