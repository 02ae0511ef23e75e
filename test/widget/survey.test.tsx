// @vitest-environment happy-dom
import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { message } from './fake-controller.js';
import { mountWidget } from './mount-widget.js';

let mounted: ReturnType<typeof mountWidget> | undefined;
afterEach(() => mounted?.destroy());

const ended = { id: 'c1', status: 'ended' as const, surveySubmitted: false };
const survey = () => {
  mounted = mountWidget({ open: true, conversation: ended, messages: [message({ body: 'Bye!' })] });
  return {
    ...mounted,
    submit: () => fireEvent.click(mounted!.view.getByRole('button', { name: 'Send feedback' })),
  };
};

describe('post-chat survey', () => {
  it('follows an ended chat: scores 1 to 5 with names, the transcript still visible', () => {
    const { view, root } = survey();
    const group = view.getByRole('group', { name: 'How was this chat? 1 is poor, 5 is excellent.' });
    const scores = view.getAllByRole('radio');
    expect(scores.map((radio) => radio.closest('label')!.textContent)).toEqual(['1', '2', '3', '4', '5']);
    expect(group.contains(scores[0]!)).toBe(true);
    expect(view.getByRole('radio', { name: '5' })).toBe(scores[4]);
    expect(root.activeElement).toBe(scores[0]);
    expect(view.getByText('Bye!')).toBeTruthy();
    expect(view.queryByRole('textbox', { name: 'Message' })).toBeNull();
  });

  it('requires a score', () => {
    const { view, controller, submit } = survey();
    submit();
    expect(view.getByText('Please choose a score from 1 to 5.').getAttribute('role')).toBe('alert');
    expect(controller.submitSurvey).not.toHaveBeenCalled();
  });

  it('sends the score without a comment, then thanks the visitor', async () => {
    const { view, controller, submit } = survey();
    fireEvent.click(view.getByRole('radio', { name: '4' }));
    submit();
    expect(controller.submitSurvey).toHaveBeenCalledWith(4, undefined);
    await waitFor(() => expect(view.getByText('Thanks for your feedback!')).toBeTruthy());
  });

  it('sends the comment when there is one, and thanks after the SDK records it', async () => {
    const { view, controller, submit, update } = survey();
    fireEvent.click(view.getByRole('radio', { name: '2' }));
    fireEvent.input(view.getByRole('textbox', { name: 'Comment (optional)' }), { target: { value: ' Too slow ' } });
    submit();
    expect(controller.submitSurvey).toHaveBeenCalledWith(2, 'Too slow');
    await update({ conversation: { ...ended, surveySubmitted: true } });
    expect(view.queryByRole('radio')).toBeNull();
    expect(view.getByText('Thanks for your feedback!').getAttribute('role')).toBe('status');
    // The visitor can start over by writing again.
    expect(view.getByRole('textbox', { name: 'Message' })).toBeTruthy();
  });

  it('can be skipped, and comes back for the next chat that ends', async () => {
    const { view, controller, update } = survey();
    fireEvent.click(view.getByRole('button', { name: 'Skip' }));
    expect(view.queryByRole('radio')).toBeNull();
    expect(view.getByText('This chat has ended. Send a message to start a new one.')).toBeTruthy();
    expect(controller.submitSurvey).not.toHaveBeenCalled();
    await update({ conversation: { ...ended, id: 'c2' } });
    expect(view.getAllByRole('radio')).toHaveLength(5);
  });
});
