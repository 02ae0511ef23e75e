/** The leave-a-message form shown when no agent is online: email (required), name, message. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useController } from './controller-context.js';
import { isEmail, maxBodyChars } from './validation.js';

/**
 * Validates the form, calls `controller.sendOfflineMessage` and then thanks the visitor.
 * @example
 * <OfflineForm />
 */
export function OfflineForm(): JSX.Element {
  const chat = useController();
  const [errors, setErrors] = useState<{ email?: string; body?: string; send?: string }>({});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const email = field('email');
    const body = field('body');
    const found = {
      email: isEmail(email) ? undefined : chat.t('offline.invalidEmail'),
      body: body ? undefined : chat.t('offline.emptyMessage'),
    };
    setErrors(found);
    // Focus the first field to fix, so keyboard and screen reader users land on the problem.
    if (found.email || found.body)
      return form.querySelector<HTMLElement>(found.email ? '[name=email]' : '[name=body]')!.focus();
    setBusy(true);
    try {
      await chat.sendOfflineMessage({ email, name: field('name') || undefined, body });
      setSent(true);
    } catch {
      setErrors({ send: chat.t('error.generic') });
      setBusy(false);
    }
  };

  if (sent)
    return (
      <p class="form" role="status">
        {chat.t('offline.thanks')}
      </p>
    );
  return (
    <form class="form" noValidate onSubmit={(event) => void submit(event)}>
      <p>{chat.t('offline.intro')}</p>
      <label>
        {chat.t('offline.email')}
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          data-autofocus
          aria-invalid={!!errors.email}
          aria-describedby="parley-email-error"
        />
      </label>
      <p class={errors.email ? 'error' : 'sr'} id="parley-email-error">
        {errors.email}
      </p>
      <label>
        {chat.t('offline.name')}
        <input name="name" autoComplete="name" maxLength={120} />
      </label>
      <label>
        {chat.t('offline.message')}
        <textarea
          name="body"
          rows={4}
          required
          maxLength={maxBodyChars}
          aria-invalid={!!errors.body}
          aria-describedby="parley-body-error"
        />
      </label>
      <p class={errors.body ? 'error' : 'sr'} id="parley-body-error">
        {errors.body}
      </p>
      <p class={errors.send ? 'error' : 'sr'} role="alert">
        {errors.send}
      </p>
      <button type="submit" class="btn" disabled={busy}>
        {chat.t('offline.submit')}
      </button>
    </form>
  );
}
