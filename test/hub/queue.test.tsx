// @vitest-environment happy-dom
import { act, cleanup, fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/protocol/index.js';
import { conversation } from './fake-client.js';
import { anna, renderConsole } from './render-hub.js';

afterEach(cleanup);

const minutesAgo = (minutes: number) => Date.now() - minutes * 60_000 - 5_000;
const waiting = [
  {
    conversationId: 'c-old',
    visitor: { id: 'v-old', name: 'Olga Berg', verified: true },
    since: minutesAgo(65),
    firstMessage: 'My invoice shows the wrong VAT number',
  },
  {
    conversationId: 'c-new',
    visitor: { id: 'v-new-123456', verified: false },
    since: minutesAgo(3),
    firstMessage: 'Do you ship to Norway?',
  },
];

describe('queue', () => {
  it('lists waiting chats with their wait time and first message, oldest first', async () => {
    const { view, client } = await renderConsole();
    expect(view.getByText('No one is waiting.')).toBeTruthy();
    await act(() => client.emit('queue', { type: 'queue', items: waiting }));

    const queue = within(view.getByRole('region', { name: /Queue/ }));
    expect(view.getByRole('heading', { name: 'Queue 2' })).toBeTruthy();
    const items = queue.getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.queue-name')!.textContent)).toEqual([
      'Olga Berg',
      'Visitor v-new-',
    ]);
    expect(items[0]!.textContent).toContain('waiting 1 h 5 min');
    expect(items[0]!.textContent).toContain('My invoice shows the wrong VAT number');
    expect(items[0]!.textContent).toContain('Verified');
    expect(items[1]!.textContent).toContain('waiting 3 min');
    expect(items[1]!.textContent).toContain('Do you ship to Norway?');
  });

  it('takes a chat and opens it with its history', async () => {
    const { view, client, store } = await renderConsole();
    await act(() => client.emit('queue', { type: 'queue', items: waiting }));
    fireEvent.click(view.getByRole('button', { name: 'Take chat with Olga Berg' }));
    await waitFor(() =>
      expect(client.requests('conversation.take')).toEqual([{ type: 'conversation.take', conversationId: 'c-old' }]),
    );
    await waitFor(() => expect(store.view.value).toEqual({ kind: 'chat', id: 'c-old' }));
    expect(view.getByRole('heading', { name: 'Queue 1' })).toBeTruthy();

    // The server follows the taken chat for this agent and replays it from the start.
    const olga = conversation('c-old', waiting[0]!.visitor);
    await act(() => {
      client.deliver(olga.started(), olga.visitorSays('My invoice shows the wrong VAT number'), olga.assigned(anna));
      client.emit('queue', { type: 'queue', items: [waiting[1]!] });
    });
    expect(view.getByRole('heading', { name: 'Olga Berg', level: 2 })).toBeTruthy();
    const log = within(view.getByRole('log'));
    expect(log.getAllByText('My invoice shows the wrong VAT number')).toHaveLength(1);
    expect(log.getByText('Assigned to Anna')).toBeTruthy();
    expect(view.getByRole('textbox', { name: 'Reply to Olga Berg' })).toBeTruthy();
  });

  it('says when another agent was faster, and takes the oldest chat with Alt+T', async () => {
    const { view, client } = await renderConsole();
    await act(() => client.emit('queue', { type: 'queue', items: waiting }));
    client.answer('conversation.take', () => {
      throw new ParleyError('invalid_state', 'the conversation is no longer waiting');
    });
    fireEvent.click(view.getByRole('button', { name: 'Take chat with Visitor v-new-' }));
    await waitFor(() =>
      expect(within(view.getByRole('region', { name: /Queue/ })).getByRole('alert').textContent).toBe(
        'Another agent already took this chat.',
      ),
    );

    fireEvent.keyDown(document.body, { key: 't', code: 'KeyT', altKey: true });
    await waitFor(() => expect(client.requests('conversation.take').at(-1)!.conversationId).toBe('c-old'));
  });
});
