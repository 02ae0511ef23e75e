/**
 * The chat box header: who the visitor talks to (the agent's name and photo once one joins), the
 * minimize button, and "End chat" with a confirm step, since ending cannot be undone.
 */
import type { JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatViewState } from '../sdk/types.js';
import { useController } from './controller-context.js';

/**
 * The header row, and the confirm row under it while the visitor decides.
 * @example
 * <Header state={state} title="Anna" canEnd={view === 'chat'} />
 */
export function Header({
  state,
  title,
  canEnd,
}: {
  state: ChatViewState;
  title: string;
  canEnd: boolean;
}): JSX.Element {
  const chat = useController();
  // The conversation whose end is being confirmed: a new conversation never inherits the question.
  const [confirmingEndOf, setConfirmingEndOf] = useState<string>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const endRef = useRef<HTMLButtonElement>(null);
  const conversation = state.conversation;
  const agent = conversation?.agent;
  const conversationOpen = canEnd && !!conversation && conversation.status !== 'ended';
  const confirming = conversationOpen && confirmingEndOf === conversation.id;

  useLayoutEffect(() => {
    if (confirming) confirmRef.current!.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirmingEndOf(undefined);
    endRef.current?.focus();
  };

  return (
    <>
      <header class="head">
        {/* Only http(s) photos: a config or server bug must not turn into a javascript: or data: URL. */}
        {agent?.avatarUrl && /^https?:\/\//i.test(agent.avatarUrl) && (
          <img
            class="avatar"
            src={agent.avatarUrl}
            alt={chat.t('header.avatar', { name: agent.name })}
            width={32}
            height={32}
            referrerpolicy="no-referrer"
          />
        )}
        <h2 class="title">{title}</h2>
        {conversationOpen && (
          <button type="button" class="text" ref={endRef} onClick={() => setConfirmingEndOf(conversation.id)}>
            {chat.t('header.end')}
          </button>
        )}
        <button type="button" class="icon" aria-label={chat.t('header.minimize')} onClick={() => chat.close()}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      {confirming && (
        <div class="confirm" role="group" aria-label={chat.t('header.endConfirm')}>
          <p>{chat.t('header.endConfirm')}</p>
          <button
            type="button"
            class="btn"
            ref={confirmRef}
            onClick={() => {
              setConfirmingEndOf(undefined);
              void chat.endChat();
            }}
          >
            {chat.t('header.endYes')}
          </button>
          <button type="button" class="btn quiet" onClick={cancel}>
            {chat.t('header.endNo')}
          </button>
        </div>
      )}
    </>
  );
}
