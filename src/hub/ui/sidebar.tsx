/** The left column: the queue, the agent's chats and the ways to the inboxes and transcripts. */
import type { JSX } from 'preact';
import type { ConsoleView } from '../state/console-store.js';
import { ChatList } from './chat-list.js';
import { useStore } from './contexts.js';
import { QueueList } from './queue-list.js';

/**
 * The navigation landmark of the console.
 *
 * @example
 * <Sidebar />
 */
export function Sidebar(): JSX.Element {
  const store = useStore();
  const view = store.view.value;
  const openCalls = store.callMe.value.filter((request) => request.doneAt === undefined).length;
  const openMessages = store.offline.value.filter((request) => request.handledAt === undefined).length;
  const unread = store.chatList.value.reduce((sum, chat) => sum + chat.unread, 0);
  const link = (
    target: Exclude<ConsoleView['kind'], 'chat' | 'home'>,
    label: string,
    count: number,
    countLabel: string,
  ) => (
    <li>
      <button
        type="button"
        class={`nav-link${view.kind === target ? ' is-current' : ''}`}
        aria-current={view.kind === target ? 'page' : undefined}
        onClick={() => store.show({ kind: target })}
      >
        {label}
        {count > 0 && (
          <span class="badge">
            {count}
            <span class="visually-hidden"> {countLabel}</span>
          </span>
        )}
      </button>
    </li>
  );
  return (
    <nav class="sidebar" aria-label="Chats and inboxes">
      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading" class="section-heading">
          Queue <span class="count">{store.queue.value.length}</span>
        </h2>
        <QueueList />
      </section>
      <section aria-labelledby="chats-heading">
        <h2 id="chats-heading" class="section-heading">
          My chats
          {unread > 0 && <span class="count">{unread} unread</span>}
        </h2>
        <ChatList />
      </section>
      <section aria-labelledby="inboxes-heading">
        <h2 id="inboxes-heading" class="section-heading">
          Inboxes
        </h2>
        <ul class="nav-links">
          {link('callme', 'Call-me requests', openCalls, 'open')}
          {link('offline', 'Offline messages', openMessages, 'open')}
          {link('transcripts', 'Transcripts', 0, '')}
        </ul>
      </section>
    </nav>
  );
}
