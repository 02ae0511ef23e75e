/** Which frame answers which request: data-bearing replies by type, `ok` for all the others. */
import type { ClientFrameType } from './client-frames.js';

export const dataReplies = {
  history: 'history.result',
  'visitor.get': 'visitor.details',
  'transcripts.search': 'transcripts.result',
  'requests.list': 'requests.result',
} as const;

/** The server frame type that answers a request of client frame type `T`. */
export type ReplyFrameType<T extends ClientFrameType> = T extends keyof typeof dataReplies
  ? (typeof dataReplies)[T]
  : 'ok';

/** Server frame types that carry a request's data back. */
export type DataReplyType = (typeof dataReplies)[keyof typeof dataReplies];
