/**
 * What the box shows while consent is pending: a short notice and "Start chat". The click is the
 * consent. It never says the chat is closed: that wording cost Zendesk's cookie-less mode its chats.
 */
import type { JSX } from 'preact';
import { useController } from './controller-context.js';

/**
 * The consent step of the chat box.
 * @example
 * <ConsentNotice />
 */
export function ConsentNotice(): JSX.Element {
  const chat = useController();
  return (
    <div class="form">
      <p>{chat.t('consent.notice')}</p>
      <button type="button" class="btn" data-autofocus onClick={() => chat.grantConsent()}>
        {chat.t('consent.start')}
      </button>
    </div>
  );
}
