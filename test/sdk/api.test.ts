// @vitest-environment happy-dom
/**
 * Bad calls of the JS API: each returns or rejects with a coded error and a console warning that
 * names the method, never throws into the page, and leaves the widget working.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createChatIn } from '../../src/sdk/chat.js';
import type { ChatEnvironment } from '../../src/sdk/environment.js';
import type { ParleyApi } from '../../src/sdk/api-types.js';
import { ParleyApiError } from '../../src/sdk/errors.js';
import { parleyFunction } from '../../src/sdk/queue.js';
import { fakeUi } from './support/fake-ui.js';

const widgetId = '0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70';

function environment(): ChatEnvironment {
  return {
    fetch: vi.fn(() => Promise.resolve(new Response(JSON.stringify({ online: true, settings: {} }), { status: 200 }))),
    storage: localStorage,
    ui: fakeUi(),
  };
}

describe('bad calls', () => {
  let chat: ParleyApi;
  let warn: MockInstance<typeof console.warn>;

  beforeEach(() => {
    localStorage.clear();
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    chat = createChatIn({ widgetId, server: 'https://chat.example.com' }, environment());
  });

  afterEach(() => {
    chat.destroy();
    vi.restoreAllMocks();
  });

  /** Runs a bad call: it must not throw, must reject with `code`, and must warn naming `method`. */
  async function expectRejected(call: () => Promise<unknown>, code: string, method: string): Promise<void> {
    warn.mockClear();
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = call())).not.toThrow();
    const error = await promise!.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ParleyApiError);
    expect(error).toMatchObject({ code, method });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain(method);
  }

  it('rejects each with a coded error and a warning naming the method', async () => {
    const api = chat as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const parley = parleyFunction(chat) as unknown as (...args: unknown[]) => Promise<unknown>;
    await expectRejected(() => parley('explode'), 'unknown_method', 'explode');
    await expectRejected(() => parley(42), 'unknown_method', '42');
    await expectRejected(() => parley('use', { name: 'segment' }), 'invalid_argument', 'use');
    await expectRejected(() => parley('use', 'Google Tag Manager'), 'invalid_argument', 'use');
    await expectRejected(() => api.use!(null), 'invalid_argument', 'use');
    await expectRejected(() => api.use!({ name: '', track: () => undefined }), 'invalid_argument', 'use');
    await expectRejected(() => api.use!({ name: 'x', track: 'no' }), 'invalid_argument', 'use');
    await expectRejected(
      () => api.use!({ name: 'x', track: () => undefined, identify: {} }),
      'invalid_argument',
      'use',
    );
    await api.use!({ name: 'taken', track: () => undefined });
    await expectRejected(() => api.use!({ name: 'taken', track: () => undefined }), 'invalid_argument', 'use');
    await expectRejected(() => api.identify!({ email: 'not-an-email' }), 'invalid_email', 'identify');
    await expectRejected(() => parley('identify', { email: 'ada@example' }), 'invalid_email', 'identify');
    await expectRejected(() => api.identify!('ada@example.com'), 'invalid_argument', 'identify');
    await expectRejected(() => api.identify!({ userId: 42 }), 'invalid_argument', 'identify');
    await expectRejected(
      () => api.identify!({ email: 'ada@example.com', plan: { tier: 1 } }),
      'invalid_argument',
      'identify',
    );
    await expectRejected(() => api.identify!({ userId: 'u1' }, 'short'), 'invalid_argument', 'identify');
    await expectRejected(() => api.sendMessage!(42), 'invalid_argument', 'sendMessage');
    await expectRejected(() => api.sendMessage!('   '), 'invalid_argument', 'sendMessage');
    await expectRejected(() => api.sendMessage!('x'.repeat(4001)), 'invalid_argument', 'sendMessage');
    await expectRejected(() => api.setCustomData!([1, 2]), 'invalid_argument', 'setCustomData');
    await expectRejected(() => api.setCustomData!({ when: new Date() }), 'invalid_argument', 'setCustomData');
    await expectRejected(() => api.consent!('maybe'), 'invalid_argument', 'consent');
    await expectRejected(() => api.setDefaultImplicitConsent!('no'), 'invalid_argument', 'setDefaultImplicitConsent');
    await expectRejected(() => api.on!('opened', () => undefined), 'invalid_argument', 'on');
    await expectRejected(() => api.on!('open', 'not a function'), 'invalid_argument', 'on');
    await expectRejected(() => api.off!('open'), 'invalid_argument', 'off');
  });

  it('keeps the widget working after bad calls', async () => {
    const api = chat as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await api.identify!({ email: 'broken' }).catch(() => undefined);
    await api.on!('nope', 1).catch(() => undefined);
    const opened = vi.fn();
    await chat.on('open', opened);
    chat.open();
    expect(opened).toHaveBeenCalledTimes(1);
    expect(await parleyFunction(chat)('getConsent')).toBe('implicit');
    await expect(chat.identify({ email: 'ada@example.com', name: 'Ada' })).resolves.toBeUndefined();
  });

  it('runs every listener even when one throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const later = vi.fn();
    await chat.on('open', () => {
      throw new Error('a faulty site handler');
    });
    await chat.on('open', later);
    expect(() => chat.open()).not.toThrow();
    expect(later).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('"open" listener threw'), expect.any(Error));
  });

  it('answers every call of a chat created with bad options with the reason, without throwing', async () => {
    warn.mockClear();
    let broken: ParleyApi | undefined;
    expect(() => (broken = createChatIn({ widgetId: 'not-a-uuid', server: 'ftp://x' }, environment()))).not.toThrow();
    expect(warn.mock.calls[0]![0]).toContain('createChat');
    expect(warn.mock.calls[0]![0]).toContain('widgetId');
    await expectRejected(() => broken!.sendMessage('Hello'), 'invalid_argument', 'sendMessage');
    warn.mockClear();
    expect(() => broken!.open()).not.toThrow();
    expect(warn.mock.calls[0]![0]).toContain('open');
    expect(document.querySelectorAll('div').length).toBe(1); // only the healthy chat's root
  });

  it('answers calls after destroy() with "destroyed", and removes the widget', async () => {
    chat.destroy();
    expect(document.body.children).toHaveLength(0);
    await expectRejected(() => chat.sendMessage('Hello'), 'destroyed', 'sendMessage');
    warn.mockClear();
    expect(() => chat.open()).not.toThrow();
    expect(warn.mock.calls[0]![0]).toContain('open');
  });
});
