// @vitest-environment happy-dom
import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { mountWidget } from './mount-widget.js';

let mounted: ReturnType<typeof mountWidget> | undefined;
afterEach(() => mounted?.destroy());

const type = (field: HTMLElement, value: string) => fireEvent.input(field, { target: { value } });
const offline = () => {
  mounted = mountWidget({ open: true, online: false });
  const { view } = mounted;
  return {
    ...mounted,
    email: view.getByRole('textbox', { name: 'Email' }),
    name: view.getByRole('textbox', { name: 'Name (optional)' }),
    body: view.getByRole('textbox', { name: 'Message' }),
    submit: () => fireEvent.click(view.getByRole('button', { name: 'Send message' })),
  };
};

describe('offline form', () => {
  it('replaces the composer when nobody is online and no chat is open', async () => {
    const { view, root, email, update } = offline();
    expect(view.getByText(/No one is available right now/)).toBeTruthy();
    expect(view.queryByRole('button', { name: 'Send' })).toBeNull();
    expect(root.activeElement).toBe(email);
    // An open conversation goes on even if every agent went offline.
    await update({ conversation: { id: 'c1', status: 'active', surveySubmitted: false } });
    expect(view.queryByRole('textbox', { name: 'Email' })).toBeNull();
    expect(view.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('requires a valid email and a message, and says so at the field', () => {
    const { view, root, controller, email, body, submit } = offline();
    type(body, 'Where is my order?');
    submit();
    expect(email.getAttribute('aria-invalid')).toBe('true');
    const error = view.getByText('Please enter a valid email address.');
    expect(email.getAttribute('aria-describedby')).toBe(error.id);
    expect(root.activeElement).toBe(email);
    for (const bad of ['ann', 'ann@', 'ann@example', 'a nn@example.com', '@example.com']) {
      type(email, bad);
      submit();
      expect(email.getAttribute('aria-invalid')).toBe('true');
    }
    type(email, 'ann@example.com');
    type(body, '   ');
    submit();
    expect(email.getAttribute('aria-invalid')).toBe('false');
    expect(body.getAttribute('aria-invalid')).toBe('true');
    expect(view.getByText('Please enter a message.')).toBeTruthy();
    expect(root.activeElement).toBe(body);
    expect(controller.sendOfflineMessage).not.toHaveBeenCalled();
  });

  it('sends the message, name optional, then thanks the visitor', async () => {
    const { view, controller, email, body, submit } = offline();
    type(email, ' ann@example.com ');
    type(body, 'Where is my order?');
    submit();
    expect(controller.sendOfflineMessage).toHaveBeenCalledWith({
      email: 'ann@example.com',
      name: undefined,
      body: 'Where is my order?',
    });
    await waitFor(() => expect(view.getByText(/Thanks! We have your message/)).toBeTruthy());
    expect(view.queryByRole('textbox', { name: 'Email' })).toBeNull();
  });

  it('passes the name when given, and keeps the form with an error if sending fails', async () => {
    const { view, controller, email, name, body, submit } = offline();
    controller.sendOfflineMessage.mockRejectedValueOnce(new Error('down'));
    type(email, 'ann@example.com');
    type(name, 'Ann');
    type(body, 'Hello');
    submit();
    expect(controller.sendOfflineMessage).toHaveBeenCalledWith({
      email: 'ann@example.com',
      name: 'Ann',
      body: 'Hello',
    });
    await waitFor(() =>
      expect(view.getByText('Something went wrong. Please try again.').getAttribute('role')).toBe('alert'),
    );
    expect(view.getByRole('textbox', { name: 'Email' })).toBe(email);
  });
});
