// @vitest-environment happy-dom
import { act, cleanup, fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallMeRequest, OfflineRequest } from '../../src/protocol/index.js';
import type { FakeClient } from './fake-client.js';
import { renderConsole } from './render-hub.js';

afterEach(cleanup);

const now = Date.now();
const call: CallMeRequest = {
  id: 'call-1',
  visitorId: 'v1',
  phone: '+44 20 7946 0958',
  page: 'https://shop.example/pricing',
  at: now - 10 * 60_000,
};
const note: OfflineRequest = {
  id: 'off-1',
  email: 'lee@example.com',
  name: 'Lee',
  body: 'Please call me back about <script>the order</script>',
  page: 'https://shop.example/contact',
  at: now - 30 * 60_000,
};

/** The open requests the server lists at login. */
function answerInboxes(client: FakeClient) {
  client.answer('requests.list', (frame) =>
    frame.type === 'requests.list' && frame.kind === 'callme'
      ? { type: 'requests.result', ref: 'r', callme: [call] }
      : { type: 'requests.result', ref: 'r', offline: [note] },
  );
}

describe('call-me inbox', () => {
  it('lists phone, page and time, and marks a request done', async () => {
    const { view, client } = await renderConsole({ prepare: answerInboxes });
    expect(client.requests('requests.list')).toEqual([
      { type: 'requests.list', kind: 'callme', open: true },
      { type: 'requests.list', kind: 'offline', open: true },
    ]);
    const nav = within(view.getByRole('navigation'));
    await waitFor(() => expect(nav.getByRole('button', { name: 'Call-me requests 1 open' })).toBeTruthy());
    fireEvent.click(nav.getByRole('button', { name: 'Call-me requests 1 open' }));

    const inbox = within(view.getByRole('region', { name: 'Call-me requests' }));
    const item = inbox.getAllByRole('listitem')[0]!;
    expect(within(item).getByText('+44 20 7946 0958')).toBeTruthy();
    expect(within(item).getByRole('link', { name: 'https://shop.example/pricing' }).getAttribute('rel')).toBe(
      'noopener noreferrer',
    );
    expect(item.textContent).toContain('(10 min ago)');

    fireEvent.click(inbox.getByRole('button', { name: 'Mark done: call +44 20 7946 0958' }));
    await waitFor(() => expect(client.requests('callme.done')).toEqual([{ type: 'callme.done', id: 'call-1' }]));
    // The server tells every agent: the request is done.
    await act(() => client.emit('callme', { type: 'callme', request: { ...call, doneAt: Date.now() } }));
    expect(inbox.queryByRole('button', { name: /Mark done/ })).toBeNull();
    expect(within(item).getByText(/^Done at /)).toBeTruthy();
    expect(nav.getByRole('button', { name: 'Call-me requests' })).toBeTruthy();
  });

  it('adds a live request at once', async () => {
    const { view, client } = await renderConsole({ prepare: answerInboxes });
    fireEvent.click(view.getByRole('button', { name: /^Call-me requests/ }));
    const fresh: CallMeRequest = { id: 'call-2', visitorId: 'v9', phone: '+1 555 0100', at: Date.now() };
    await act(() => client.emit('callme', { type: 'callme', request: fresh }));
    expect(view.getByRole('button', { name: 'Mark done: call +1 555 0100' })).toBeTruthy();
  });
});

describe('offline messages inbox', () => {
  it('lists who wrote what from where, as text, and marks a message handled', async () => {
    const { view, client } = await renderConsole({ prepare: answerInboxes });
    await waitFor(() => expect(view.getByRole('button', { name: 'Offline messages 1 open' })).toBeTruthy());
    fireEvent.click(view.getByRole('button', { name: 'Offline messages 1 open' }));
    const inbox = within(view.getByRole('region', { name: 'Offline messages' }));
    expect(inbox.getByText('Lee <lee@example.com>')).toBeTruthy();
    expect(inbox.getByText('Please call me back about <script>the order</script>')).toBeTruthy();
    expect(view.container.querySelector('script')).toBeNull();
    expect(inbox.getByRole('link', { name: 'https://shop.example/contact' })).toBeTruthy();

    fireEvent.click(inbox.getByRole('button', { name: 'Mark handled: message from Lee <lee@example.com>' }));
    await waitFor(() => expect(client.requests('offline.handled')).toEqual([{ type: 'offline.handled', id: 'off-1' }]));
    await act(() => client.emit('offline', { type: 'offline', request: { ...note, handledAt: Date.now() } }));
    expect(inbox.getByText(/^Handled at /)).toBeTruthy();
    expect(inbox.queryByRole('button', { name: /Mark handled/ })).toBeNull();
  });
});
