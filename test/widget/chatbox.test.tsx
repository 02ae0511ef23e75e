// @vitest-environment happy-dom
import { fireEvent } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { message, styledElements } from './fake-controller.js';
import { mountWidget } from './mount-widget.js';

let mounted: ReturnType<typeof mountWidget> | undefined;
afterEach(() => mounted?.destroy());

const active = { id: 'c1', status: 'active' as const, surveySubmitted: false };
const anna = { id: 'a1', name: 'Anna', avatarUrl: 'https://cdn.example.com/anna.png' };

describe('chat box', () => {
  it('stays hidden until opened, then shows as a dialog', async () => {
    mounted = mountWidget();
    expect(mounted.box().hidden).toBe(true);
    expect(mounted.view.queryByRole('dialog')).toBeNull();
    await mounted.update({ open: true });
    expect(mounted.view.getByRole('dialog', { name: 'Chat with us' })).toBe(mounted.box());
  });

  it('asks for consent with a notice and "Start chat", and never says "closed"', () => {
    mounted = mountWidget({ open: true, consent: 'pending', online: false });
    expect(mounted.view.getByText(/When you start the chat, we connect you/)).toBeTruthy();
    expect(mounted.root.textContent).not.toMatch(/closed/i);
    // Nothing else is offered before consent: no composer, no offline form.
    expect(mounted.view.queryByRole('textbox')).toBeNull();
    fireEvent.click(mounted.view.getByRole('button', { name: 'Start chat' }));
    expect(mounted.controller.grantConsent).toHaveBeenCalledTimes(1);
    // The fake grants at once; offline, the box now offers the leave-a-message form, and says so.
    expect(mounted.view.getByRole('textbox', { name: 'Email' })).toBeTruthy();
    expect(mounted.view.getByRole('heading').textContent).toBe('Leave a message');
    expect(mounted.view.getByRole('dialog', { name: 'Leave a message' })).toBe(mounted.box());
  });

  it('moves focus into the box on open and back to the launcher on Escape', async () => {
    mounted = mountWidget({ consent: 'pending' });
    mounted.launcher().focus();
    await mounted.update({ open: true });
    expect(mounted.root.activeElement).toBe(mounted.view.getByRole('button', { name: 'Start chat' }));
    fireEvent.click(mounted.root.activeElement!);
    // The notice is gone: focus follows to the composer rather than being lost.
    expect(mounted.root.activeElement).toBe(mounted.view.getByRole('textbox', { name: 'Message' }));
    fireEvent.keyDown(mounted.root.activeElement!, { key: 'Escape' });
    expect(mounted.controller.close).toHaveBeenCalledTimes(1);
    expect(mounted.box().hidden).toBe(true);
    expect(mounted.root.activeElement).toBe(mounted.launcher());
  });

  it('minimizes with the header button and returns focus to the launcher', async () => {
    mounted = mountWidget({ open: true });
    fireEvent.click(mounted.view.getByRole('button', { name: 'Minimize chat' }));
    expect(mounted.controller.close).toHaveBeenCalledTimes(1);
    expect(mounted.root.activeElement).toBe(mounted.launcher());
    await mounted.update({ open: true });
    expect(mounted.root.activeElement).toBe(mounted.view.getByRole('textbox', { name: 'Message' }));
  });

  it('shows the agent name and photo once one joins, and only http(s) photos', async () => {
    mounted = mountWidget({ open: true, conversation: { ...active, status: 'queued' } });
    expect(mounted.view.getByRole('heading').textContent).toBe('Chat with us');
    expect(mounted.view.queryByRole('img')).toBeNull();
    await mounted.update({ conversation: { ...active, agent: anna } });
    expect(mounted.view.getByRole('heading').textContent).toBe('Anna');
    expect(mounted.view.getByRole('dialog', { name: 'Anna' })).toBeTruthy();
    const photo = mounted.view.getByRole('img', { name: 'Photo of Anna' });
    expect(photo.getAttribute('src')).toBe(anna.avatarUrl);
    await mounted.update({ conversation: { ...active, agent: { ...anna, avatarUrl: 'javascript:alert(1)' } } });
    expect(mounted.view.queryByRole('img')).toBeNull();
  });

  it('ends the chat only after the visitor confirms', async () => {
    mounted = mountWidget({ open: true });
    expect(mounted.view.queryByRole('button', { name: 'End chat' })).toBeNull();
    await mounted.update({ conversation: active });
    const end = mounted.view.getByRole('button', { name: 'End chat' });
    fireEvent.click(end);
    expect(mounted.view.getByText('End this chat?')).toBeTruthy();
    expect(mounted.root.activeElement).toBe(mounted.view.getByRole('button', { name: 'Yes, end chat' }));
    fireEvent.click(mounted.view.getByRole('button', { name: 'Cancel' }));
    expect(mounted.controller.endChat).not.toHaveBeenCalled();
    expect(mounted.view.queryByText('End this chat?')).toBeNull();
    expect(mounted.root.activeElement).toBe(end);
    fireEvent.click(end);
    fireEvent.click(mounted.view.getByRole('button', { name: 'Yes, end chat' }));
    expect(mounted.controller.endChat).toHaveBeenCalledTimes(1);
    await mounted.update({ conversation: { ...active, status: 'ended' } });
    expect(mounted.view.queryByRole('button', { name: 'End chat' })).toBeNull();
  });

  it('drops an unanswered end question when the agent ends the chat first', async () => {
    mounted = mountWidget({ open: true, conversation: active });
    fireEvent.click(mounted.view.getByRole('button', { name: 'End chat' }));
    await mounted.update({ conversation: { ...active, status: 'ended', surveySubmitted: true } });
    expect(mounted.view.queryByText('End this chat?')).toBeNull();
    await mounted.update({ conversation: { ...active, id: 'c2' } });
    expect(mounted.view.getByRole('button', { name: 'End chat' })).toBeTruthy();
    expect(mounted.view.queryByText('End this chat?')).toBeNull();
    expect(mounted.controller.endChat).not.toHaveBeenCalled();
  });

  it('tells the visitor when the connection is being restored', async () => {
    mounted = mountWidget({ open: true, conversation: active });
    expect(mounted.view.queryByText(/Reconnecting/)).toBeNull();
    await mounted.update({ connection: 'reconnecting' });
    expect(mounted.view.getByText('Connection lost. Reconnecting…').getAttribute('role')).toBe('status');
    await mounted.update({ connection: 'open' });
    expect(mounted.view.queryByText(/Reconnecting/)).toBeNull();
  });

  it('lays out right to left when the state says so', async () => {
    mounted = mountWidget({ open: true });
    expect(mounted.box().dir).toBe('ltr');
    await mounted.update({ rtl: true });
    expect(mounted.box().dir).toBe('rtl');
    expect(mounted.launcher().dir).toBe('rtl');
  });

  it('speaks German throughout', async () => {
    mounted = mountWidget({ open: true, locale: 'de', consent: 'pending' });
    expect(mounted.box().lang).toBe('de');
    expect(mounted.view.getByRole('button', { name: 'Chat starten' })).toBeTruthy();
    expect(mounted.view.getByRole('button', { name: 'Chat minimieren' })).toBeTruthy();
    await mounted.update({ consent: 'granted', conversation: { ...active, status: 'queued', queuePosition: 2 } });
    expect(mounted.view.getByText('Sie sind Nummer 2 in der Warteschlange')).toBeTruthy();
    expect(mounted.view.getByRole('textbox', { name: 'Nachricht' })).toBeTruthy();
    expect(mounted.view.getByRole('button', { name: 'Senden' })).toBeTruthy();
    expect(mounted.view.getByRole('button', { name: 'Chat beenden' })).toBeTruthy();
  });

  it('puts no style attribute on any element, whatever it shows', async () => {
    mounted = mountWidget({ open: true, consent: 'pending' });
    expect(styledElements(mounted.root)).toEqual([]);
    await mounted.update({
      consent: 'granted',
      conversation: { ...active, agent: anna },
      agentTyping: true,
      messages: [message({ body: 'See https://example.com' }), message({ author: { role: 'visitor' }, pending: true })],
    });
    fireEvent.click(mounted.view.getByRole('button', { name: 'More options' }));
    expect(styledElements(mounted.root)).toEqual([]);
    await mounted.update({ conversation: { ...active, status: 'ended' } });
    expect(styledElements(mounted.root)).toEqual([]);
    await mounted.update({ online: false, conversation: undefined });
    expect(styledElements(mounted.root)).toEqual([]);
  });

  it('unmounts cleanly and stops listening', async () => {
    mounted = mountWidget({ open: true });
    expect(mounted.controller.listenerCount()).toBe(2);
    await mounted.unmount();
    expect(mounted.root.querySelector('section')).toBeNull();
    expect(mounted.controller.listenerCount()).toBe(1);
  });
});
