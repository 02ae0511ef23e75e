// @vitest-environment happy-dom
/** The SDK's small parts on their own: the consent-gated store, the transcript and the draft throttle. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrameOf } from '../../src/protocol/index.js';
import { VisitorStore } from '../../src/sdk/store.js';
import { throttle } from '../../src/sdk/throttle.js';
import { Transcript } from '../../src/sdk/transcript.js';

describe('VisitorStore', () => {
  beforeEach(() => localStorage.clear());

  it('keeps writes in memory until persistence is on, then under one prefix only', () => {
    localStorage.setItem('site-own-key', 'keep me');
    const store = new VisitorStore('parley:w1:', localStorage);
    store.set('open', '1');
    expect(localStorage.length).toBe(1);
    expect(store.get('open')).toBe('1');
    store.setPersistent(true);
    expect(localStorage.getItem('parley:w1:open')).toBe('1');
    store.setJson('read', { c1: 4 });
    expect(store.getJson('read')).toEqual({ c1: 4 });
    // Consent withdrawn: the keys leave storage but the page keeps its state.
    store.setPersistent(false);
    expect(Object.keys(localStorage)).toEqual(['site-own-key']);
    expect(store.get('open')).toBe('1');
    store.clear();
    expect(store.get('open')).toBeUndefined();
    expect(Object.keys(localStorage)).toEqual(['site-own-key']);
  });

  it('falls back to memory when storage throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
      key: () => null,
      length: 0,
    } as unknown as Storage;
    const store = new VisitorStore('parley:w1:', broken);
    store.setPersistent(true);
    expect(() => store.set('open', '1')).not.toThrow();
    expect(store.stored('open')).toBeUndefined();
  });
});

describe('Transcript', () => {
  const frame = (seq: number, body: string, clientId?: string): ServerFrameOf<'message'> => ({
    type: 'message',
    conversationId: 'c1',
    seq,
    at: 1000 + seq,
    id: `id${seq}`,
    ...(clientId ? { clientId } : {}),
    author: { role: clientId ? 'visitor' : 'agent' },
    body,
  });

  it('shows a sent message once, whether its ack or its stored frame comes first', () => {
    const transcript = new Transcript();
    transcript.addPending('m_1', 'Hello');
    expect(transcript.messages()).toMatchObject([{ id: 'm_1', pending: true }]);
    transcript.accept(frame(3, 'Reply'));
    transcript.acknowledge({ type: 'message.ack', clientId: 'm_1', conversationId: 'c1', seq: 2, id: 'id2', at: 1002 });
    transcript.accept(frame(2, 'Hello', 'm_1'));
    transcript.addPending('m_2', 'Second');
    transcript.accept(frame(4, 'Second', 'm_2'));
    transcript.acknowledge({ type: 'message.ack', clientId: 'm_2', conversationId: 'c1', seq: 4, id: 'id4', at: 1004 });
    expect(transcript.messages().map((message) => [message.seq, message.body, message.pending])).toEqual([
      [2, 'Hello', undefined],
      [3, 'Reply', undefined],
      [4, 'Second', undefined],
    ]);
  });
});

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at most once per interval and always ends on the latest value', () => {
    const sent: string[] = [];
    const drafts = throttle(500, (draft: string) => sent.push(draft));
    drafts.push('H');
    drafts.push('He');
    drafts.push('Hel');
    expect(sent).toEqual(['H']);
    vi.advanceTimersByTime(499);
    expect(sent).toEqual(['H']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['H', 'Hel']);
    drafts.push('Hell');
    drafts.cancel();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['H', 'Hel']);
  });
});
