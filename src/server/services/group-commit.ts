/**
 * Group commit for messages: the sends that arrive while the loop is busy are written in one
 * transaction, and each is answered only after that transaction committed. One commit (and, on
 * PostgreSQL, one WAL flush) then serves many messages, with the same guarantees as one each.
 */
import type { Kysely } from 'kysely';
import type { SequencedFrame } from '../../protocol/index.js';
import type { Database } from '../store/schema.js';
import type { Append, Appended, Log } from './log.js';

/** Most messages in one transaction: bounds how long one commit holds the store and the loop. */
export const maxBatch = 256;

/** After the I/O callbacks of this turn of the event loop (setImmediate). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Pending {
  conversationId: string;
  append: Append;
  resolve: (outcome: Appended) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommit {
  /** Queues one entry; resolves once it is committed (or refused, or found to be a duplicate). */
  append(conversationId: string, append: Append): Promise<Appended>;
  /** Resolves when everything queued so far has been written. */
  drain(): Promise<void>;
}

/**
 * @example
 * const writer = createGroupCommit({ db, log, now: Date.now, onCommitted: publish });
 * const outcome = await writer.append(conversationId, { entry });
 */
export function createGroupCommit(options: {
  db: Kysely<Database>;
  log: Log;
  now: () => number;
  /** Receives the stored frames of each commit, in log order, before any caller is answered. */
  onCommitted: (frames: SequencedFrame[]) => void;
}): GroupCommit {
  const { db, log, now, onCommitted } = options;
  const queue: Pending[] = [];
  /** The running flush, if any: one transaction at a time keeps seqs in arrival order. */
  let flushing: Promise<void> | undefined;

  /**
   * Writes one batch. A failed batch is retried one entry at a time, so one bad entry fails alone
   * (and a client id the log already holds, met among others, is sorted out: see log.appendAll).
   */
  async function commit(batch: Pending[]): Promise<void> {
    const at = now();
    let outcomes: Appended[];
    try {
      outcomes = await db.transaction().execute(async (trx) => {
        const byConversation = new Map<string, number[]>();
        batch.forEach((pending, index) => {
          const indexes = byConversation.get(pending.conversationId);
          if (indexes) indexes.push(index);
          else byConversation.set(pending.conversationId, [index]);
        });
        const results = new Array<Appended>(batch.length);
        // Conversations are locked in id order, so two writers (two nodes on one PostgreSQL)
        // cannot deadlock on each other's rows.
        const conversationIds = [...byConversation.keys()].sort();
        for (const conversationId of conversationIds) {
          const indexes = byConversation.get(conversationId)!;
          const appended = await log.appendAll(
            trx,
            conversationId,
            indexes.map((index) => batch[index]!.append),
            at,
          );
          indexes.forEach((index, k) => (results[index] = appended[k]!));
        }
        return results;
      });
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const pending of batch) await commit([pending]);
      return;
    }
    onCommitted(outcomes.flatMap((outcome) => ('stored' in outcome ? [outcome.stored] : [])));
    batch.forEach((pending, index) => pending.resolve(outcomes[index]!));
  }

  async function flush(): Promise<void> {
    for (;;) {
      await commit(queue.splice(0, maxBatch));
      if (queue.length === 0) break;
      // Let this batch's answers leave and new input arrive before the next commit.
      await nextTurn();
    }
    flushing = undefined;
  }

  return {
    append(conversationId, append) {
      return new Promise((resolve, reject) => {
        queue.push({ conversationId, append, resolve, reject });
        // Wait for the rest of this turn's input (setImmediate runs after pending I/O callbacks);
        // sends arriving during a commit form the next batch.
        flushing ??= nextTurn().then(flush);
      });
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}
