// @vitest-environment happy-dom
import { act, cleanup, fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/index.js';
import { conversation } from './fake-client.js';
import { anna, ben, cara, dan, renderConsole } from './render-hub.js';

afterEach(cleanup);

const team = [
  { ...anna, status: 'online' as const },
  { ...ben, status: 'online' as const },
  { ...cara, status: 'paused' as const },
  { ...dan, status: 'offline' as const },
];

async function openChat(presence = team) {
  const ana = conversation('c1', { id: 'v1', name: 'Ana Silva', verified: false });
  const rendered = await renderConsole({ presence });
  await act(() => rendered.client.deliver(ana.started(), ana.visitorSays('I need a refund'), ana.assigned(anna)));
  fireEvent.click(rendered.view.getByRole('button', { name: /^Ana Silva/ }));
  return { ...rendered, ana };
}

describe('transfer', () => {
  it('offers only the other agents who are online, and sends the note', async () => {
    const { view, client, ana } = await openChat();
    fireEvent.click(view.getByRole('button', { name: 'Transfer…' }));
    const dialog = within(view.getByRole('dialog', { name: 'Transfer the chat with Ana Silva' }));
    expect(dialog.getAllByRole('radio').map((radio) => radio.parentElement!.textContent)).toEqual(['Ben']);

    fireEvent.click(dialog.getByRole('radio', { name: 'Ben' }));
    fireEvent.input(dialog.getByLabelText('Note for the next agent (optional)'), {
      target: { value: 'Refund approved, needs the bank details' },
    });
    fireEvent.click(dialog.getByRole('button', { name: 'Transfer' }));
    await waitFor(() => expect(view.queryByRole('dialog')).toBeNull());
    expect(client.requests('conversation.transfer')).toEqual([
      {
        type: 'conversation.transfer',
        conversationId: 'c1',
        toAgentId: ben.id,
        note: 'Refund approved, needs the bank details',
      },
    ]);

    // The server's transferred frame: the chat is Ben's now; Anna can read it but not reply.
    await act(() => client.deliver(ana.transferred(anna, ben, 'Refund approved, needs the bank details')));
    expect(
      within(view.getByRole('log')).getByText(
        'Anna transferred the chat to Ben. Note: Refund approved, needs the bank details',
      ),
    ).toBeTruthy();
    expect(view.getByText('Ben now has this chat.')).toBeTruthy();
    expect(view.queryByRole('textbox', { name: /Reply/ })).toBeNull();
    expect(view.getByRole('button', { name: /^Ana Silva/ }).textContent).toContain('Transferred to Ben');
  });

  it('explains when nobody is online, and when the chosen agent went away', async () => {
    const alone = await openChat([
      { ...anna, status: 'online' },
      { ...ben, status: 'paused' },
    ]);
    fireEvent.click(alone.view.getByRole('button', { name: 'Transfer…' }));
    expect(within(alone.view.getByRole('dialog')).getByText('No other agent is online right now.')).toBeTruthy();
    cleanup();

    const { view, client } = await openChat();
    client.answer('conversation.transfer', () => {
      throw new ParleyError('agent_unavailable');
    });
    fireEvent.click(view.getByRole('button', { name: 'Transfer…' }));
    const dialog = within(view.getByRole('dialog'));
    fireEvent.click(dialog.getByRole('button', { name: 'Transfer' }));
    expect(dialog.getByRole('alert').textContent).toBe('Pick an agent to transfer to.');
    fireEvent.click(dialog.getByRole('radio', { name: 'Ben' }));
    fireEvent.click(dialog.getByRole('button', { name: 'Transfer' }));
    await waitFor(() =>
      expect(dialog.getByRole('alert').textContent).toBe('That agent is no longer available. Pick another one.'),
    );
    fireEvent.keyDown(view.getByRole('dialog'), { key: 'Escape' });
    expect(view.queryByRole('dialog')).toBeNull();
  });
});

describe('end chat', () => {
  it('asks to confirm, from the button or Alt+Shift+E, and ends only when confirmed', async () => {
    const { view, client, ana } = await openChat();
    fireEvent.click(view.getByRole('button', { name: 'End chat' }));
    let dialog = view.getByRole('alertdialog', { name: 'End the chat with Ana Silva?' });
    expect(dialog.getAttribute('aria-describedby')).toBe('end-chat-text');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(view.queryByRole('alertdialog')).toBeNull();
    expect(client.requests('conversation.end')).toHaveLength(0);

    fireEvent.keyDown(document.body, { key: 'E', code: 'KeyE', altKey: true, shiftKey: true });
    dialog = view.getByRole('alertdialog');
    const confirm = within(dialog).getByRole('button', { name: 'End chat' });
    expect(document.activeElement).toBe(confirm);
    fireEvent.click(confirm);
    await waitFor(() => expect(view.queryByRole('alertdialog')).toBeNull());
    expect(client.requests('conversation.end')).toEqual([{ type: 'conversation.end', conversationId: 'c1' }]);

    await act(() => client.deliver(ana.ended('agent')));
    expect(view.getByText('This chat has ended.')).toBeTruthy();
    expect(within(view.getByRole('log')).getByText('Chat ended by the agent')).toBeTruthy();
    expect(view.queryByRole('button', { name: 'End chat' })).toBeNull();
  });

  it('shows the survey score when the visitor gives it, and closes the ended chat', async () => {
    const { view, client, ana, store } = await openChat();
    await act(() => client.deliver(ana.ended('visitor')));
    expect(within(view.getByRole('log')).getByText('Chat ended by Ana Silva')).toBeTruthy();
    await act(() => client.deliver(ana.survey(4, 'Quick and kind')));
    expect(view.getByText('Rated 4/5')).toBeTruthy();
    expect(within(view.getByRole('log')).getByText('Visitor rated the chat 4 out of 5: “Quick and kind”')).toBeTruthy();

    fireEvent.click(view.getByRole('button', { name: 'Close' }));
    expect(store.view.value).toEqual({ kind: 'home' });
    expect(view.queryByRole('button', { name: /^Ana Silva/ })).toBeNull();
  });
});
