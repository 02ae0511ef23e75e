/** One past conversation, read from its stored log. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { TranscriptResult } from '../state/console-store.js';
import { visitorLabel } from '../state/chat.js';
import { useStore } from './contexts.js';
import { Timeline } from './timeline.js';

/**
 * Loads and shows a transcript; "Back to results" returns to the search.
 *
 * @example
 * <TranscriptView conversationId="c1" onBack={() => setOpen(undefined)} />
 */
export function TranscriptView({
  conversationId,
  onBack,
}: {
  conversationId: string;
  onBack: () => void;
}): JSX.Element {
  const store = useStore();
  const [result, setResult] = useState<TranscriptResult | undefined>(undefined);
  useEffect(() => {
    let current = true;
    setResult(undefined);
    void store.readTranscript(conversationId).then((read) => current && setResult(read));
    return () => {
      current = false;
    };
  }, [store, conversationId]);

  const chat = result?.ok ? result.chat : undefined;
  return (
    <section class="transcript" aria-labelledby="transcript-title">
      <div class="transcript-bar">
        <button type="button" class="button button-small" onClick={onBack}>
          ← Back to results
        </button>
        <h2 id="transcript-title" class="page-heading transcript-title">
          {chat ? `Transcript: ${visitorLabel(chat.visitor)}` : 'Transcript'}
        </h2>
      </div>
      {!result && <p>Loading the transcript…</p>}
      {result && !result.ok && (
        <p class="inline-error" role="alert">
          {result.message}
        </p>
      )}
      {result?.ok && !chat && <p class="empty">This conversation has no messages.</p>}
      {chat && <Timeline chat={chat} selfId={store.self.id} />}
      {result?.ok && !result.complete && <p class="hint">This transcript is long; only its beginning is shown.</p>}
    </section>
  );
}
