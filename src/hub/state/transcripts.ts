/** Past conversations: searched by visitor email or text, and read whole through `history` pages. */
import { limits, type TranscriptItem } from '../../protocol/index.js';
import type { ParleyClient } from '../../transport/index.js';
import { failure } from './action-result.js';
import { applyFrame, type Chat } from './chat.js';

export type TranscriptSearch = { email?: string; text?: string; before?: number };
export type SearchResult = { ok: true; items: TranscriptItem[]; more: boolean } | { ok: false; message: string };
export type TranscriptResult = { ok: true; chat: Chat | undefined; complete: boolean } | { ok: false; message: string };

/** A transcript longer than this many pages is cut off (the view says so). */
const maxPages = 20;

const messageOf = (error: unknown, own: Parameters<typeof failure>[1] = {}) => {
  const result = failure(error, own);
  return result.ok ? '' : result.message;
};

/**
 * Searches past conversations, newest first; `before` pages back from the last one shown.
 *
 * @example
 * const found = await searchTranscripts(client, { email: 'ana@example.com' });
 * if (found.ok) show(found.items);
 */
export async function searchTranscripts(
  client: Pick<ParleyClient, 'request'>,
  search: TranscriptSearch,
): Promise<SearchResult> {
  const email = search.email?.trim();
  const text = search.text?.trim();
  try {
    const reply = await client.request({
      type: 'transcripts.search',
      ...(email ? { email } : {}),
      ...(text ? { text } : {}),
      ...(search.before !== undefined ? { before: search.before } : {}),
    });
    return { ok: true, items: reply.items, more: reply.more };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}

/**
 * Builds a read-only chat from a conversation's stored log. It never touches the live chats:
 * what it reads is shown in the transcript view only.
 *
 * @example
 * const read = await readTranscript(client, 'c1');
 * if (read.ok) render(read.chat);
 */
export async function readTranscript(
  client: Pick<ParleyClient, 'request'>,
  conversationId: string,
): Promise<TranscriptResult> {
  let chat: Chat | undefined;
  let afterSeq = 0;
  try {
    for (let page = 0; page < maxPages; page++) {
      const result = await client.request({
        type: 'history',
        conversationId,
        afterSeq,
        limit: limits.historyPageLimit,
      });
      for (const frame of result.frames) chat = applyFrame(chat, frame);
      const last = result.frames.at(-1)?.seq ?? afterSeq;
      if (!result.more || last <= afterSeq) return { ok: true, chat, complete: true };
      afterSeq = last;
    }
    return { ok: true, chat, complete: false };
  } catch (error) {
    return { ok: false, message: messageOf(error, { not_found: 'This conversation no longer exists.' }) };
  }
}
