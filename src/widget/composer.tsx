/**
 * The composer: a textarea (Enter sends, Shift+Enter breaks the line), the send button and the
 * input menu with "Call me". Every change of the draft goes to the SDK, which throttles it.
 */
import type { JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CallMeForm } from './call-me-form.js';
import { useController } from './controller-context.js';
import { InputMenu } from './input-menu.js';
import { maxBodyChars } from './validation.js';

/**
 * The bottom of the chat view.
 * @example
 * <Composer />
 */
export function Composer(): JSX.Element {
  const chat = useController();
  const [draft, setDraft] = useState('');
  const [callMe, setCallMe] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const textRef = useRef<HTMLTextAreaElement>(null);
  // Set when the call-me form closes: focus returns to the textarea once it is back.
  const refocus = useRef(false);
  useLayoutEffect(() => {
    if (refocus.current) textRef.current?.focus();
    refocus.current = false;
  });

  const changeDraft = (text: string) => {
    setDraft(text);
    chat.draftChanged(text);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setError('');
    setNotice('');
    changeDraft('');
    // The SDK shows the message as pending at once; if it refuses it, the text comes back.
    chat.send(text).catch(() => {
      setError(chat.t('composer.error'));
      changeDraft(text);
    });
  };

  return (
    <div class="composer">
      <p class={notice ? 'notice' : 'sr'} role="status">
        {notice}
      </p>
      <p class={error ? 'error notice' : 'sr'} role="alert">
        {error}
      </p>
      {callMe ? (
        <CallMeForm
          onDone={(confirmation) => {
            setCallMe(false);
            if (confirmation) setNotice(confirmation);
            refocus.current = true;
          }}
        />
      ) : (
        <form class="compose" onSubmit={submit}>
          <InputMenu items={[{ label: chat.t('menu.callMe'), onSelect: () => setCallMe(true) }]} />
          <textarea
            ref={textRef}
            rows={1}
            maxLength={maxBodyChars}
            data-autofocus
            aria-label={chat.t('composer.label')}
            placeholder={chat.t('composer.placeholder')}
            value={draft}
            onInput={(event) => changeDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
              if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) submit(event);
            }}
          />
          <button type="submit" class="btn">
            {chat.t('composer.send')}
          </button>
        </form>
      )}
    </div>
  );
}
