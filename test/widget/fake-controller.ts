/**
 * A stand-in for the SDK's ChatController: it holds a state, records every action (vi.fn), tells
 * subscribers about changes, and translates with the widget's real locale tables.
 */
import { vi, type Mock } from 'vitest';
import type { ChatActions, ChatController, ChatMessage, ChatViewState } from '../../src/sdk/types.js';
import { chatBoxStrings } from '../../src/widget/chatbox-strings.js';
import { addStrings, translate } from '../../src/widget/locales.js';

// Components rendered on their own (without mountChatBox) need the chat box's strings too.
addStrings(chatBoxStrings);

/** Every action is a vitest mock, so tests can read its calls and change what it returns. */
type MockedActions = { [Name in keyof ChatActions]: Mock<ChatActions[Name]> };

export type FakeController = Omit<ChatController, keyof ChatActions> & MockedActions & FakeControls;

interface FakeControls {
  /** Merges `patch` into the state and notifies subscribers, like the SDK would. */
  set(patch: Partial<ChatViewState>): void;
  listenerCount(): number;
}

export function baseState(patch: Partial<ChatViewState> = {}): ChatViewState {
  return {
    open: false,
    visible: true,
    online: true,
    consent: 'implicit',
    connection: 'open',
    messages: [],
    agentTyping: false,
    unread: 0,
    settings: {},
    locale: 'en',
    rtl: false,
    ...patch,
  };
}

export function createFakeController(patch: Partial<ChatViewState> = {}): FakeController {
  let state = baseState(patch);
  const listeners = new Set<(state: ChatViewState) => void>();
  const set = (next: Partial<ChatViewState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener(state);
  };
  return {
    set,
    listenerCount: () => listeners.size,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    t: (key, values) => translate(state.locale, key, values, state.settings.texts),
    open: vi.fn(() => set({ open: true })),
    close: vi.fn(() => set({ open: false })),
    grantConsent: vi.fn(() => set({ consent: 'granted' })),
    send: vi.fn<ChatActions['send']>(() => Promise.resolve()),
    draftChanged: vi.fn(),
    requestCallMe: vi.fn<ChatActions['requestCallMe']>(() => Promise.resolve()),
    sendOfflineMessage: vi.fn<ChatActions['sendOfflineMessage']>(() => Promise.resolve()),
    submitSurvey: vi.fn<ChatActions['submitSurvey']>(() => Promise.resolve()),
    endChat: vi.fn<ChatActions['endChat']>(() => Promise.resolve()),
  };
}

let nextId = 0;

/** A message with sensible defaults: from the agent "Anna", now. */
export function message(patch: Partial<ChatMessage> = {}): ChatMessage {
  nextId += 1;
  return { id: `m${nextId}`, author: { role: 'agent', name: 'Anna' }, body: 'Hello', at: Date.now(), ...patch };
}

/** Every element under `root` that carries a style attribute (there must be none). */
export function styledElements(root: ParentNode): Element[] {
  return [...root.querySelectorAll('[style]')];
}
