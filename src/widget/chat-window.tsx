/**
 * The chat box itself: a non-modal dialog with the header and the body that fits the state
 * (consent, offline form, survey or the conversation). It stays mounted while closed, hidden, so
 * drafts and half-filled forms survive closing, and it moves focus in on open and back out on close.
 */
import type { JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatViewState } from '../sdk/types.js';
import { Composer } from './composer.js';
import { ConsentNotice } from './consent-notice.js';
import { useController } from './controller-context.js';
import { chatBoxId, launcherId } from './dom-ids.js';
import { Header } from './header.js';
import { MessageList } from './message-list.js';
import { OfflineForm } from './offline-form.js';
import { pickView } from './pick-view.js';
import { Survey } from './survey.js';

/** The view's own first control, else the first control of the body. */
function focusFirstControl(box: HTMLElement): void {
  const target =
    box.querySelector<HTMLElement>('.body [data-autofocus]') ??
    box.querySelector<HTMLElement>('.body button, .body input, .body textarea, .body a[href]');
  target?.focus();
}

/**
 * The whole chat box for one state.
 * @example
 * <ChatWindow state={state.value} />
 */
export function ChatWindow({ state }: { state: ChatViewState }): JSX.Element {
  const chat = useController();
  const boxRef = useRef<HTMLElement>(null);
  const [skippedSurveyOf, setSkippedSurveyOf] = useState<string>();
  const conversation = state.conversation;
  const view = pickView(state, skippedSurveyOf);

  useLayoutEffect(() => {
    const box = boxRef.current!;
    const root = box.getRootNode() as ShadowRoot;
    if (state.open) focusFirstControl(box);
    // Closed while focus was inside (Escape, the minimize button, the API): hand it to the launcher.
    else if (box.contains(root.activeElement)) root.getElementById(launcherId)?.focus();
  }, [state.open, view]);

  // Named after the agent once one joins; before that, after what the box offers.
  const title = conversation?.agent?.name ?? chat.t(view === 'offline' ? 'launcher.offline' : 'header.title');
  let status = '';
  if (state.connection === 'reconnecting') status = chat.t('status.reconnecting');
  else if (view === 'chat' && conversation?.status === 'ended')
    status = chat.t(conversation.surveySubmitted ? 'survey.thanks' : 'chat.ended');

  return (
    <section
      id={chatBoxId}
      class="box"
      ref={boxRef}
      role="dialog"
      aria-label={title}
      dir={state.rtl ? 'rtl' : 'ltr'}
      lang={state.locale}
      hidden={!state.open}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) chat.close();
      }}
    >
      <Header state={state} title={title} canEnd={view === 'chat'} />
      {/* One persistent live region, so status changes are announced even as views swap. */}
      <p class={status ? 'notice' : 'sr'} role="status">
        {status}
      </p>
      <div class="body">
        {view === 'consent' && <ConsentNotice />}
        {view === 'offline' && <OfflineForm />}
        {(view === 'chat' || view === 'survey') && <MessageList state={state} />}
        {view === 'survey' && <Survey onSkip={() => setSkippedSurveyOf(conversation?.id)} />}
        {view === 'chat' && <Composer />}
      </div>
    </section>
  );
}
