// @vitest-environment happy-dom
import { act, cleanup, fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { VisitorDetails } from '../../src/protocol/index.js';
import { conversation } from './fake-client.js';
import { anna, renderConsole } from './render-hub.js';

afterEach(cleanup);

const ana = conversation('c1', { id: 'v1', name: 'Ana Silva', email: 'ana@example.com', verified: true });
const bo = conversation('c2', { id: 'v2', name: 'Bo Chen', verified: false });
const anaDetails: VisitorDetails = {
  id: 'v1',
  name: 'Ana Silva',
  email: 'ana@example.com',
  verified: true,
  userId: 'user-42',
  page: 'https://shop.example/checkout?step=2',
  referrer: 'https://www.search.example/?q=shoes',
  language: 'pt-BR',
  timezone: 'Asia/Tokyo',
  custom: { plan: 'Pro', seats: 12 },
  firstSeen: Date.now() - 86_400_000,
};

/** Anna with two open chats, Ana's open in the main area. */
async function twoChats() {
  const rendered = await renderConsole({ conversations: [] });
  const { client, view } = rendered;
  client.answer('visitor.get', (frame) =>
    frame.type === 'visitor.get' && frame.visitorId === 'v1'
      ? { type: 'visitor.details', ref: 'r', visitor: anaDetails }
      : {
          type: 'visitor.details',
          ref: 'r',
          visitor: { id: 'v2', name: 'Bo Chen', verified: false, custom: {}, firstSeen: 0 },
        },
  );
  await act(() =>
    client.deliver(
      ana.started(),
      ana.visitorSays('Hi, my order #123 is late'),
      ana.assigned(anna),
      bo.started(),
      bo.visitorSays('Hello?'),
      bo.assigned(anna),
    ),
  );
  fireEvent.click(view.getByRole('button', { name: /^Ana Silva/ }));
  return rendered;
}

describe('chat view', () => {
  it('shows the sneak peek of what the visitor is typing, then the message once sent', async () => {
    const { view, client } = await twoChats();
    const log = within(view.getByRole('log', { name: 'Conversation with Ana Silva' }));
    expect(log.getByText('Hi, my order #123 is late')).toBeTruthy();

    await act(() =>
      client.emit('typing', {
        type: 'typing',
        conversationId: 'c1',
        role: 'visitor',
        typing: true,
        draft: 'It was due on Mon',
      }),
    );
    const peek = within(view.getByRole('region', { name: 'Sneak peek' }));
    expect(peek.getByText('Ana Silva is typing')).toBeTruthy();
    expect(peek.getByText('It was due on Mon')).toBeTruthy();
    await act(() =>
      client.emit('typing', {
        type: 'typing',
        conversationId: 'c1',
        role: 'visitor',
        typing: true,
        draft: 'It was due on Monday!',
      }),
    );
    expect(peek.getByText('It was due on Monday!')).toBeTruthy();

    await act(() => client.deliver(ana.visitorSays('It was due on Monday!')));
    expect(view.queryByRole('region', { name: 'Sneak peek' })).toBeNull();
    expect(log.getAllByText('It was due on Monday!')).toHaveLength(1);
  });

  it('sends a reply with Enter, keeps Shift+Enter for new lines, and signals typing', async () => {
    const { view, client } = await twoChats();
    const reply = view.getByRole('textbox', { name: 'Reply to Ana Silva' }) as HTMLTextAreaElement;
    expect(document.activeElement).toBe(reply);
    fireEvent.input(reply, { target: { value: 'Let me check' } });
    expect(client.typed).toEqual([{ conversationId: 'c1', typing: true }]);
    fireEvent.keyDown(reply, { key: 'Enter', shiftKey: true });
    expect(client.sent).toHaveLength(0);
    fireEvent.input(reply, { target: { value: 'Let me check\nyour order ' } });
    fireEvent.keyDown(reply, { key: 'Enter' });

    expect(client.sent).toHaveLength(1);
    expect(client.sent[0]).toMatchObject({ conversationId: 'c1', body: 'Let me check\nyour order' });
    expect(client.sent[0]!.clientId).toMatch(/^hub_\w+$/);
    expect(client.typed.at(-1)).toEqual({ conversationId: 'c1', typing: false });
    await waitFor(() => expect(reply.value).toBe(''));
    const log = within(view.getByRole('log'));
    expect(log.getByText('Sending…')).toBeTruthy();

    // The server's copy replaces the pending one: the reply shows once.
    await act(() => client.deliver(ana.agentSays(anna, 'Let me check\nyour order', client.sent[0]!.clientId)));
    expect(log.queryByText('Sending…')).toBeNull();
    expect(log.getAllByText(/Let me check/)).toHaveLength(1);
  });

  it('shows the visitor details, with their local time from their time zone', async () => {
    const { view } = await twoChats();
    const panel = within(await view.findByRole('complementary', { name: 'Ana Silva' }));
    await waitFor(() => expect(panel.getByText('ana@example.com')).toBeTruthy());
    expect(panel.getByText('Verified')).toBeTruthy();
    expect(panel.getByText('user-42')).toBeTruthy();
    const page = panel.getByRole('link', { name: 'https://shop.example/checkout?step=2' });
    expect(page.getAttribute('rel')).toBe('noopener noreferrer');
    expect(page.getAttribute('target')).toBe('_blank');
    expect(panel.getByRole('link', { name: 'https://www.search.example/?q=shoes' })).toBeTruthy();
    expect(panel.getByText('pt-BR')).toBeTruthy();
    const tokyo = new Intl.DateTimeFormat(undefined, {
      timeZone: 'Asia/Tokyo',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    const localTime = panel.getByText('(Asia/Tokyo)').parentElement!.textContent;
    const possible = [Date.now() - 60_000, Date.now(), Date.now() + 60_000].map(
      (at) => `${tokyo.format(at)} (Asia/Tokyo)`,
    );
    expect(possible).toContain(localTime);
    expect(panel.getByText('plan').nextElementSibling!.textContent).toBe('Pro');
    expect(panel.getByText('seats').nextElementSibling!.textContent).toBe('12');
  });

  it('renders text as text and links only http(s), safely', async () => {
    const { view, client } = await twoChats();
    await act(() =>
      client.deliver(
        ana.visitorSays('<img src=x onerror="alert(1)"> <b>bold</b> javascript:alert(1) see https://example.com/a.'),
      ),
    );
    const log = view.getByRole('log');
    expect(log.querySelector('img, b')).toBeNull();
    expect(log.textContent).toContain('<img src=x onerror="alert(1)"> <b>bold</b> javascript:alert(1)');
    const links = within(log).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://example.com/a']);
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('counts unread messages per chat and moves between chats with Alt+↓ and Alt+↑', async () => {
    const { view, client, store } = await twoChats();
    const boButton = () => view.getByRole('button', { name: /^Bo Chen/ });
    // Bo's first message came after the first welcome, so it counts as unread until opened.
    expect(boButton().textContent).toContain('1 unread');
    await act(() => client.deliver(bo.visitorSays('Anyone there?'), ana.visitorSays('Thanks')));
    expect(boButton().textContent).toContain('2 unread');
    expect(view.getByRole('button', { name: /^Ana Silva/ }).textContent).not.toContain('unread');

    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    expect(store.view.value).toEqual({ kind: 'chat', id: 'c2' });
    expect(boButton().getAttribute('aria-current')).toBe('page');
    expect(boButton().textContent).not.toContain('unread');
    fireEvent.keyDown(document.body, { key: 'ArrowUp', altKey: true });
    expect(store.view.value).toEqual({ kind: 'chat', id: 'c1' });
    fireEvent.keyDown(document.body, { key: 'j', code: 'KeyJ', altKey: true });
    expect(store.view.value).toEqual({ kind: 'chat', id: 'c2' });
  });

  it('keeps history from before the first welcome out of the unread count', async () => {
    const carl = conversation('c3', { id: 'v3', name: 'Carl', verified: false });
    const frames = [carl.started(), carl.visitorSays('Old question'), carl.assigned(anna)];
    const { view, client } = await renderConsole({ conversations: [carl.summary(anna)] });
    await act(() => client.deliver(...frames));
    expect(view.getByRole('button', { name: /^Carl/ }).textContent).not.toContain('unread');
    await act(() => client.deliver(carl.visitorSays('New question')));
    expect(view.getByRole('button', { name: /^Carl/ }).textContent).toContain('1 unread');
  });
});
