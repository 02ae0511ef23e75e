// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { message } from './fake-controller.js';
import { mountWidget } from './mount-widget.js';

// Fixed zone, so times read the same on every machine.
process.env.TZ = 'UTC';

let mounted: ReturnType<typeof mountWidget> | undefined;
afterEach(() => mounted?.destroy());

const active = { id: 'c1', status: 'active' as const, surveySubmitted: false };
const todayAt = (hours: number, minutes: number) => {
  const date = new Date();
  date.setUTCHours(hours, minutes, 0, 0);
  return date.getTime();
};

describe('message list', () => {
  it('shows markup in messages as text and creates no element from it', () => {
    const payload = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    mounted = mountWidget({ open: true, conversation: active, messages: [message({ body: payload })] });
    const list = mounted.view.getByRole('region', { name: 'Messages' });
    expect(list.textContent).toContain(payload);
    expect(list.querySelector('img, script')).toBeNull();
  });

  it('links http(s) URLs safely and never other schemes', () => {
    const body =
      'Docs: https://example.com/docs?a=1&b=2. Also (see http://example.org/x) ' +
      'javascript:alert(1) data:text/html,hi https://en.wikipedia.org/wiki/Foo_(bar)';
    mounted = mountWidget({ open: true, conversation: active, messages: [message({ body })] });
    const links = mounted.view.getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.com/docs?a=1&b=2',
      'http://example.org/x',
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
    for (const link of links) {
      expect(link.textContent).toBe(link.getAttribute('href'));
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      expect(link.getAttribute('target')).toBe('_blank');
    }
    // The rest stays text, punctuation included.
    const text = mounted.view.getByRole('region', { name: 'Messages' }).textContent;
    expect(text).toContain(
      'Docs: https://example.com/docs?a=1&b=2. Also (see http://example.org/x) javascript:alert(1)',
    );
    expect(mounted.root.querySelector('a[href^="javascript"], a[href^="data"]')).toBeNull();
  });

  it('groups messages by author with one time per group, in the visitor locale', () => {
    const messages = [
      message({ body: 'Hi, I am Anna.', at: todayAt(14, 5) }),
      message({ body: 'How can I help?', at: todayAt(14, 6) }),
      message({ author: { role: 'visitor' }, body: 'My order is late.', at: todayAt(14, 7) }),
      message({ body: 'Let me check.', at: todayAt(14, 30) }),
    ];
    mounted = mountWidget({ open: true, conversation: active, messages });
    const groups = [...mounted.root.querySelectorAll('li')];
    expect(groups.map((group) => group.querySelector('.meta')!.textContent)).toEqual([
      'Anna · 2:05 PM',
      'You · 2:07 PM',
      'Anna · 2:30 PM',
    ]);
    expect(groups.map((group) => group.querySelectorAll('.msg').length)).toEqual([2, 1, 1]);
    expect(groups[0]!.querySelector('time')!.getAttribute('datetime')).toBe(new Date(todayAt(14, 5)).toISOString());
  });

  it('shows German times and the date for older messages', () => {
    const old = Date.UTC(2024, 0, 2, 9, 30);
    mounted = mountWidget({
      open: true,
      locale: 'de',
      conversation: active,
      messages: [message({ at: old }), message({ author: { role: 'visitor' }, at: todayAt(14, 5) })],
    });
    const times = [...mounted.root.querySelectorAll('.meta')].map((meta) => meta.textContent);
    expect(times).toEqual(['Anna · 02.01.2024, 09:30', 'Sie · 14:05']);
  });

  it('marks messages not acknowledged yet and shows proactive ones as from the team', async () => {
    mounted = mountWidget({
      open: true,
      messages: [
        message({ proactive: true, author: { role: 'agent', name: 'Bot' }, body: 'Questions about pricing?' }),
        message({ author: { role: 'visitor' }, body: 'Yes', pending: true }),
      ],
    });
    const [team, visitor] = [...mounted.root.querySelectorAll('li')];
    expect(team!.querySelector('.meta')!.textContent).toMatch(/^The team · /);
    expect(team!.textContent).not.toContain('Sending…');
    expect(visitor!.textContent).toContain('Sending…');
    await mounted.update({
      messages: [mounted.controller.getState().messages[0]!, message({ author: { role: 'visitor' }, body: 'Yes' })],
    });
    expect(mounted.root.textContent).not.toContain('Sending…');
  });

  it('announces new agent messages politely, but not the history or the visitor own', async () => {
    mounted = mountWidget({ open: true, conversation: active, messages: [message({ body: 'Earlier answer' })] });
    const live = mounted.root.querySelector('[aria-live="polite"]')!;
    expect(live.textContent).toBe('');
    const history = mounted.controller.getState().messages;
    await mounted.update({ messages: [...history, message({ author: { role: 'visitor' }, body: 'Thanks' })] });
    expect(live.textContent).toBe('');
    await mounted.update({
      messages: [...mounted.controller.getState().messages, message({ body: 'You are welcome' })],
    });
    expect(live.textContent).toBe('New message from Anna: You are welcome');
  });

  it('shows the agent typing and the visitor place in the queue', async () => {
    mounted = mountWidget({
      open: true,
      conversation: { ...active, status: 'queued', queuePosition: 3 },
    });
    expect(mounted.view.getByText('You are number 3 in line')).toBeTruthy();
    expect(mounted.root.textContent).not.toContain('is typing');
    await mounted.update({
      conversation: { ...active, agent: { id: 'a1', name: 'Anna' } },
      agentTyping: true,
    });
    expect(mounted.view.getByText('Anna is typing…')).toBeTruthy();
    expect(mounted.root.textContent).not.toContain('in line');
    await mounted.update({ agentTyping: false });
    expect(mounted.root.textContent).not.toContain('typing');
  });

  it('greets the visitor while the conversation is empty', () => {
    mounted = mountWidget({ open: true });
    expect(mounted.view.getByText('Hi! How can we help you today?')).toBeTruthy();
  });
});
