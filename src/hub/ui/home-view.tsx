/** What the main area shows before a chat is picked. */
import type { JSX } from 'preact';
import { useStore } from './contexts.js';

/**
 * A short welcome with the next step.
 *
 * @example
 * <HomeView />
 */
export function HomeView(): JSX.Element {
  const store = useStore();
  const waiting = store.queue.value.length;
  const open = store.chatList.value.length;
  return (
    <section class="home" aria-labelledby="home-heading">
      <h2 id="home-heading" class="page-heading">
        Hello, {store.self.name}
      </h2>
      <p>
        {open > 0
          ? 'Pick a chat on the left, or press Alt + ↓ to open the next one.'
          : waiting > 0
            ? 'Visitors are waiting: take a chat from the queue, or press Alt + T.'
            : 'No chats right now. New ones appear on the left as visitors write in.'}
      </p>
      <p class="hint">Press ? for all keyboard shortcuts.</p>
    </section>
  );
}
