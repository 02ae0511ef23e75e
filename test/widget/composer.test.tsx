// @vitest-environment happy-dom
import { act, fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { mountWidget } from './mount-widget.js';

let mounted: ReturnType<typeof mountWidget> | undefined;
afterEach(() => mounted?.destroy());

const open = () => {
  mounted = mountWidget({ open: true, conversation: { id: 'c1', status: 'active', surveySubmitted: false } });
  return mounted;
};
const type = (field: HTMLElement, value: string) => fireEvent.input(field, { target: { value } });

describe('composer', () => {
  it('streams the draft, sends on Enter and keeps Shift+Enter for a new line', () => {
    const { view, controller } = open();
    const text = view.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
    type(text, 'Hello');
    expect(controller.draftChanged).toHaveBeenLastCalledWith('Hello');
    fireEvent.keyDown(text, { key: 'Enter', shiftKey: true });
    expect(controller.send).not.toHaveBeenCalled();
    type(text, 'Hello\nthere ');
    fireEvent.keyDown(text, { key: 'Enter' });
    expect(controller.send).toHaveBeenCalledWith('Hello\nthere');
    expect(text.value).toBe('');
    expect(controller.draftChanged).toHaveBeenLastCalledWith('');
  });

  it('sends with the button, ignores blank drafts and Enter while composing (IME)', () => {
    const { view, controller } = open();
    const text = view.getByRole('textbox', { name: 'Message' });
    type(text, '   ');
    fireEvent.click(view.getByRole('button', { name: 'Send' }));
    expect(controller.send).not.toHaveBeenCalled();
    type(text, 'こんにちは');
    fireEvent.keyDown(text, { key: 'Enter', isComposing: true });
    expect(controller.send).not.toHaveBeenCalled();
    fireEvent.click(view.getByRole('button', { name: 'Send' }));
    expect(controller.send).toHaveBeenCalledWith('こんにちは');
  });

  it('gives the text back with an alert when the SDK refuses the message', async () => {
    const { view, controller } = open();
    controller.send.mockRejectedValueOnce(new Error('too long'));
    const text = view.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
    type(text, 'Important');
    fireEvent.keyDown(text, { key: 'Enter' });
    await waitFor(() => expect(text.value).toBe('Important'));
    expect(view.getByText('Your message could not be sent. Please try again.').getAttribute('role')).toBe('alert');
  });
});

describe('input menu', () => {
  it('opens from the keyboard, moves focus into the menu and closes on Escape', async () => {
    const { view, root, box } = open();
    const toggle = view.getByRole('button', { name: 'More options' });
    expect(toggle.getAttribute('aria-haspopup')).toBe('menu');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(view.queryByRole('menu')).toBeNull();
    toggle.focus();
    fireEvent.keyDown(toggle, { key: 'ArrowDown' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const item = view.getByRole('menuitem', { name: 'Call me' });
    expect(root.activeElement).toBe(item);
    fireEvent.keyDown(item, { key: 'ArrowDown' });
    expect(root.activeElement).toBe(item);
    fireEvent.keyDown(item, { key: 'Escape' });
    expect(view.queryByRole('menu')).toBeNull();
    expect(root.activeElement).toBe(toggle);
    // Escape closed only the menu, not the chat box.
    expect(box().hidden).toBe(false);
    await act(() => undefined);
    expect(mounted!.controller.close).not.toHaveBeenCalled();
  });

  it('toggles with a click and closes when focus leaves it', () => {
    const { view } = open();
    const toggle = view.getByRole('button', { name: 'More options' });
    fireEvent.click(toggle);
    expect(view.getByRole('menu')).toBeTruthy();
    fireEvent.click(toggle);
    expect(view.queryByRole('menu')).toBeNull();
    fireEvent.click(toggle);
    // Tab is left to the browser (not prevented); the focus leaving the menu closes it.
    expect(fireEvent.keyDown(view.getByRole('menuitem'), { key: 'Tab' })).toBe(true);
    fireEvent.focusOut(view.getByRole('menuitem'), { relatedTarget: view.getByRole('textbox') });
    expect(view.queryByRole('menu')).toBeNull();
  });
});

describe('call me', () => {
  const openForm = () => {
    const widget = open();
    fireEvent.click(widget.view.getByRole('button', { name: 'More options' }));
    fireEvent.click(widget.view.getByRole('menuitem', { name: 'Call me' }));
    return widget;
  };

  it('asks for a phone number, with focus in the field', () => {
    const { view, root } = openForm();
    const phone = view.getByRole('textbox', { name: 'Your phone number' });
    expect(phone.getAttribute('type')).toBe('tel');
    expect(root.activeElement).toBe(phone);
  });

  it('refuses what is not a phone number and says why', () => {
    const { view, controller } = openForm();
    const phone = view.getByRole('textbox', { name: 'Your phone number' });
    for (const bad of ['', '12', 'call me maybe', '+49 <script>', '1'.repeat(40)]) {
      type(phone, bad);
      fireEvent.click(view.getByRole('button', { name: 'Call me' }));
      expect(view.getByText('Please enter a valid phone number.').getAttribute('role')).toBe('alert');
      expect(phone.getAttribute('aria-invalid')).toBe('true');
      expect(controller.requestCallMe).not.toHaveBeenCalled();
    }
    expect(controller.requestCallMe).not.toHaveBeenCalled();
  });

  it('sends the request and confirms it, back in the composer', async () => {
    const { view, controller, root } = openForm();
    type(view.getByRole('textbox', { name: 'Your phone number' }), ' +49 (30) 123-456 ');
    fireEvent.click(view.getByRole('button', { name: 'Call me' }));
    expect(controller.requestCallMe).toHaveBeenCalledWith('+49 (30) 123-456');
    await waitFor(() => expect(view.getByText('Thanks! We will call you at +49 (30) 123-456.')).toBeTruthy());
    expect(view.getByText(/We will call you/).getAttribute('role')).toBe('status');
    expect(view.queryByRole('textbox', { name: 'Your phone number' })).toBeNull();
    expect(root.activeElement).toBe(view.getByRole('textbox', { name: 'Message' }));
    // The confirmation stays until the visitor writes again.
    type(view.getByRole('textbox', { name: 'Message' }), 'Thanks');
    fireEvent.click(view.getByRole('button', { name: 'Send' }));
    expect(view.queryByText(/We will call you/)).toBeNull();
  });

  it('keeps the form with an error when the request fails, and cancels back', async () => {
    const { view, controller } = openForm();
    controller.requestCallMe.mockRejectedValueOnce(new Error('offline'));
    type(view.getByRole('textbox', { name: 'Your phone number' }), '030 1234567');
    fireEvent.click(view.getByRole('button', { name: 'Call me' }));
    await waitFor(() =>
      expect(view.getByText('Something went wrong. Please try again.').getAttribute('role')).toBe('alert'),
    );
    fireEvent.click(view.getByRole('button', { name: 'Cancel' }));
    expect(view.queryByRole('textbox', { name: 'Your phone number' })).toBeNull();
    expect(view.queryByText(/We will call you/)).toBeNull();
  });
});
