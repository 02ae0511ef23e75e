/** Search past conversations by visitor email or by text, and read one. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { TranscriptItem } from '../../protocol/index.js';
import { visitorLabel } from '../state/chat.js';
import { useStore } from './contexts.js';
import { formatTime, isoTime } from './format.js';
import { TranscriptView } from './transcript-view.js';

const statusText = { queued: 'Waiting', active: 'Active', ended: 'Ended' } as const;

/**
 * The transcripts page: the newest conversations first, narrowed by the search.
 *
 * @example
 * <TranscriptsPage />
 */
export function TranscriptsPage(): JSX.Element {
  const store = useStore();
  const [email, setEmail] = useState('');
  const [text, setText] = useState('');
  const [items, setItems] = useState<TranscriptItem[]>([]);
  const [more, setMore] = useState(false);
  // The first search starts at once: the newest conversations.
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [searched, setSearched] = useState<{ email: string; text: string }>({ email: '', text: '' });
  const [open, setOpen] = useState<string | undefined>(undefined);

  const search = async (filter: { email: string; text: string }, before?: number) => {
    setBusy(true);
    setError(undefined);
    const result = await store.searchTranscripts({ ...filter, ...(before !== undefined ? { before } : {}) });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setSearched(filter);
    setItems(before === undefined ? result.items : [...items, ...result.items]);
    setMore(result.more);
  };

  useEffect(() => {
    void search({ email: '', text: '' });
    // Only the first render lists the newest conversations; later searches come from the form.
  }, []);

  if (open) return <TranscriptView conversationId={open} onBack={() => setOpen(undefined)} />;

  return (
    <section class="transcripts" aria-labelledby="transcripts-heading">
      <h2 id="transcripts-heading" class="page-heading">
        Transcripts
      </h2>
      <form
        class="search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void search({ email, text });
        }}
      >
        <div class="field">
          <label for="search-email">Visitor email</label>
          <input
            id="search-email"
            type="email"
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="search-text">Text in the conversation</label>
          <input
            id="search-text"
            type="search"
            maxLength={200}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button-primary" disabled={busy}>
          Search
        </button>
      </form>
      <p class="inline-error" role="alert">
        {error ?? ''}
      </p>
      <p class="hint" role="status">
        {busy ? 'Searching…' : `${items.length}${more ? '+' : ''} conversation${items.length === 1 ? '' : 's'}`}
      </p>
      <ul class="transcript-list">
        {items.map((item) => (
          <li key={item.conversationId}>
            <button type="button" class="transcript-link" onClick={() => setOpen(item.conversationId)}>
              <span class="transcript-line">
                <span class="transcript-name">{visitorLabel(item.visitor)}</span>
                {item.visitor.email && item.visitor.name && <span class="hint">{item.visitor.email}</span>}
                <time dateTime={isoTime(item.startedAt)}>{formatTime(item.startedAt)}</time>
                <span class="tag">{statusText[item.status]}</span>
                {item.agent && <span class="hint">with {item.agent.name}</span>}
              </span>
              {item.preview && <span class="transcript-preview">{item.preview}</span>}
            </button>
          </li>
        ))}
      </ul>
      {more && (
        <button
          type="button"
          class="button"
          disabled={busy}
          onClick={() => void search(searched, items.at(-1)?.startedAt)}
        >
          Older conversations
        </button>
      )}
    </section>
  );
}
