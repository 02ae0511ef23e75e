/** The "Call me" form: a phone number, checked here, sent to the agents as a call-me request. */
import type { JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useController } from './controller-context.js';
import { isPhoneNumber } from './validation.js';

/**
 * Asks for a phone number and calls `controller.requestCallMe`; `onDone` gets the confirmation
 * to show, or nothing when the visitor cancelled.
 * @example
 * <CallMeForm onDone={(confirmation) => setNotice(confirmation ?? '')} />
 */
export function CallMeForm({ onDone }: { onDone: (confirmation?: string) => void }): JSX.Element {
  const chat = useController();
  const [phone, setPhone] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  // The form replaces the menu the visitor just used, so focus follows into it.
  useLayoutEffect(() => inputRef.current!.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const number = phone.trim();
    if (!isPhoneNumber(number)) return setError(chat.t('callMe.invalid'));
    setBusy(true);
    try {
      await chat.requestCallMe(number);
      onDone(chat.t('callMe.done', { phone: number }));
    } catch {
      setError(chat.t('error.generic'));
      setBusy(false);
    }
  };

  return (
    <form class="form panel" noValidate onSubmit={(event) => void submit(event)}>
      <label>
        {chat.t('callMe.label')}
        <input
          type="tel"
          ref={inputRef}
          autoComplete="tel"
          data-autofocus
          value={phone}
          aria-invalid={!!error}
          aria-describedby="parley-call-me-error"
          onInput={(event) => setPhone(event.currentTarget.value)}
        />
      </label>
      <p class={error ? 'error' : 'sr'} id="parley-call-me-error" role="alert">
        {error}
      </p>
      <div class="actions">
        <button type="submit" class="btn" disabled={busy}>
          {chat.t('callMe.submit')}
        </button>
        <button type="button" class="btn quiet" onClick={() => onDone()}>
          {chat.t('callMe.cancel')}
        </button>
      </div>
    </form>
  );
}
