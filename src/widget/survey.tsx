/** The post-chat survey: a score from 1 to 5 (required) and an optional comment. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useController } from './controller-context.js';

/**
 * Calls `controller.submitSurvey(score, comment)` and thanks the visitor; `onSkip` hides it.
 * @example
 * <Survey onSkip={() => setSkippedSurveyOf(conversationId)} />
 */
export function Survey({ onSkip }: { onSkip: () => void }): JSX.Element {
  const chat = useController();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const score = Number((form.elements.namedItem('score') as RadioNodeList).value);
    const comment = (form.elements.namedItem('comment') as HTMLTextAreaElement).value.trim();
    if (!score) return setError(chat.t('survey.required'));
    setError('');
    setBusy(true);
    try {
      await chat.submitSurvey(score, comment || undefined);
      setDone(true);
    } catch {
      setError(chat.t('error.generic'));
      setBusy(false);
    }
  };

  if (done)
    return (
      <p class="form" role="status">
        {chat.t('survey.thanks')}
      </p>
    );
  return (
    <form class="form panel" noValidate onSubmit={(event) => void submit(event)}>
      <fieldset aria-describedby="parley-survey-error">
        <legend>{chat.t('survey.legend')}</legend>
        <div class="scores">
          {[1, 2, 3, 4, 5].map((score) => (
            <label key={score}>
              <input type="radio" name="score" value={score} data-autofocus={score === 1 ? '' : undefined} />
              {score}
            </label>
          ))}
        </div>
      </fieldset>
      <p class={error ? 'error' : 'sr'} id="parley-survey-error" role="alert">
        {error}
      </p>
      <label>
        {chat.t('survey.comment')}
        <textarea name="comment" rows={3} maxLength={1000} />
      </label>
      <div class="actions">
        <button type="submit" class="btn" disabled={busy}>
          {chat.t('survey.submit')}
        </button>
        <button type="button" class="btn quiet" onClick={onSkip}>
          {chat.t('survey.skip')}
        </button>
      </div>
    </form>
  );
}
