/** The Hub's state and browser helpers on their own: what the UI and the integration test build on. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAlerts, type NotificationApi } from '../../src/hub/browser/alerts.js';
import type { LockManagerLike } from '../../src/transport/index.js';
import { createTabFocus } from '../../src/hub/browser/tab-focus.js';
import { applyFrame } from '../../src/hub/state/chat.js';
import { createConsoleStore } from '../../src/hub/state/console-store.js';
import { createHub, type Hub } from '../../src/hub/state/hub.js';
import type { StorageLike } from '../../src/hub/state/saved-session.js';
import { openTabChannel, type TabChannel } from '../../src/hub/state/tab-channel.js';
import { createTypingSender } from '../../src/hub/state/typing-sender.js';
import { shortcutFor } from '../../src/hub/ui/shortcuts.js';
import { waitFor } from '../server/harness.js';
import { conversation, FakeClient } from './fake-client.js';
import { anna, fakeFetch, serverRoutes } from './render-hub.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  vi.useRealTimers();
});

const channel = (name: string): TabChannel => {
  const tabs = openTabChannel(name, BroadcastChannel);
  closers.push(() => tabs.close());
  return tabs;
};

describe('chat reducer', () => {
  it('applies each sequence number once, whatever path brings it again', () => {
    const ana = conversation('c1', { id: 'v1', name: 'Ana', verified: true });
    const frames = [ana.started(), ana.visitorSays('Hi'), ana.assigned(anna)];
    let chat = frames.reduce(applyFrame, undefined as never);
    const again = frames.reduce(applyFrame, chat);
    expect(again).toBe(chat);
    chat = applyFrame(chat, ana.visitorSays('Still there?'));
    expect(chat.timeline.map((frame) => frame.seq)).toEqual([1, 2, 3, 4]);
    expect(chat).toMatchObject({ status: 'active', agent: anna, visitor: { name: 'Ana' } });
  });
});

describe('tabs of one browser', () => {
  it('follow a login and a logout in another tab at once, without waiting for the server', async () => {
    const saved = new Map<string, string>();
    const storage: StorageLike = {
      getItem: (key) => saved.get(key) ?? null,
      setItem: (key, value) => void saved.set(key, value),
      removeItem: (key) => void saved.delete(key),
    };
    const name = `hub-tabs-${Math.random()}`;
    const clients: FakeClient[] = [];
    const tab = (): Hub => {
      const hub = createHub({
        url: 'http://hub.test',
        fetch: fakeFetch(serverRoutes()),
        storage,
        tabs: channel(name),
        createClient: () => {
          const client = new FakeClient();
          clients.push(client);
          return client;
        },
      });
      closers.push(() => hub.dispose());
      return hub;
    };
    const one = tab();
    const two = tab();
    expect(await one.login('anna@example.com', 'correct horse battery')).toEqual({ ok: true });
    await waitFor('the other tab to open the console', () => two.view.value.page === 'console');
    expect(clients).toHaveLength(2);

    await one.logout();
    await waitFor('the other tab to return to login', () => two.view.value.page === 'login');
    expect(two.view.value).toEqual({ page: 'login', notice: { tone: 'info', text: 'You logged out in another tab.' } });
    expect(clients[1]!.closed).toBe(true);
    expect(saved.size).toBe(0);
  });
});

describe('alerts', () => {
  /** Web Locks with one holder at a time: the first tab to ask leads. */
  function fakeLocks(): LockManagerLike {
    let held = false;
    return {
      request: (_name, _options, callback) => {
        if (held) return new Promise(() => undefined);
        held = true;
        return callback();
      },
    };
  }

  function fakeNotification() {
    const shown: { title: string; body: string | undefined; tag: string | undefined }[] = [];
    class FakeNotification {
      static permission: NotificationPermission = 'granted';
      static requestPermission = () => Promise.resolve<NotificationPermission>('granted');
      onclick: ((event: Event) => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body, tag: options?.tag });
      }
      close() {}
    }
    return { Notification: FakeNotification as unknown as NotificationApi, shown };
  }

  it('alert once per event for all tabs, only while no Hub tab has focus, and never for history', async () => {
    const name = `hub-focus-${Math.random()}`;
    const locks = fakeLocks();
    const { Notification, shown } = fakeNotification();
    const sounds: string[] = [];
    const ana = conversation('c1', { id: 'v1', name: 'Ana Silva', verified: false });
    const history = [ana.started(), ana.visitorSays('An old message'), ana.assigned(anna)];
    const tabs = [0, 1].map((index) => {
      const focus = createTabFocus(channel(name), false);
      const alerts = createAlerts({
        focus,
        locks,
        Notification,
        playSound: () => sounds.push(`tab ${index}`),
        bringForward: () => undefined,
      });
      closers.push(() => alerts.dispose());
      const client = new FakeClient();
      const store = createConsoleStore({ client, self: anna, focused: false });
      closers.push(alerts.attach(store), () => store.dispose());
      client.welcome(anna, [ana.summary(anna)]);
      return { focus, client, store };
    });
    // Both tabs receive the same frames, as every socket of the agent does.
    const deliver = (...frames: Parameters<FakeClient['deliver']>) => {
      for (const { client } of tabs) client.deliver(...frames);
    };
    deliver(...history);
    expect(shown).toEqual([]);

    deliver(ana.visitorSays('Are you there?'));
    expect(shown).toEqual([{ title: 'Ana Silva', body: 'Are you there?', tag: 'message:c1:4' }]);
    expect(sounds).toEqual(['tab 0']);

    // The second tab gains focus: the leading tab stays quiet.
    tabs[1]!.focus.set(true);
    await waitFor('the focus report', () => tabs[0]!.focus.anyFocused());
    deliver(ana.visitorSays('Hello?'));
    expect(shown).toHaveLength(1);
    expect(sounds).toHaveLength(1);
    expect(tabs[0]!.store.chats.value.get('c1')!.unread).toBe(2);
  });
});

describe('typing indicator of the agent', () => {
  it('starts on the first keystroke, refreshes while typing, and stops when idle or empty', () => {
    vi.useFakeTimers();
    const sent: [string, boolean][] = [];
    const typing = createTypingSender((id, value) => sent.push([id, value]), { refreshMs: 2000, idleMs: 5000 });
    typing.changed('c1', 'H');
    typing.changed('c1', 'He');
    expect(sent).toEqual([['c1', true]]);
    vi.advanceTimersByTime(2100);
    typing.changed('c1', 'Hel');
    expect(sent).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
    vi.advanceTimersByTime(5100);
    expect(sent.at(-1)).toEqual(['c1', false]);
    typing.changed('c1', 'Hello');
    typing.changed('c1', '');
    expect(sent.slice(-2)).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    typing.dispose();
  });
});

describe('shortcuts', () => {
  const key = (patch: Partial<Parameters<typeof shortcutFor>[0]>) =>
    shortcutFor({ key: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...patch });

  it('maps keys by position, so Alt+J works where Alt turns J into another character', () => {
    expect(key({ key: 'ArrowDown', altKey: true })).toBe('next-chat');
    expect(key({ key: '∆', code: 'KeyJ', altKey: true })).toBe('next-chat');
    expect(key({ key: 'ArrowUp', altKey: true })).toBe('previous-chat');
    expect(key({ key: 'E', code: 'KeyE', altKey: true, shiftKey: true })).toBe('end-chat');
    expect(key({ key: 't', code: 'KeyT', altKey: true })).toBe('take-oldest');
    expect(key({ key: 'j' })).toBeUndefined();
    expect(key({ key: 'ArrowDown', altKey: true, ctrlKey: true })).toBeUndefined();
    expect(
      key({ key: '?', shiftKey: true, target: { tagName: 'TEXTAREA' } as unknown as EventTarget }),
    ).toBeUndefined();
    expect(key({ key: '?', shiftKey: true, target: { tagName: 'BODY' } as unknown as EventTarget })).toBe('help');
  });
});
