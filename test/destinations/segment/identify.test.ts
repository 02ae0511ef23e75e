// @vitest-environment happy-dom
/**
 * Segment's identify reaching Parley, with real analytics-next and a real chat: the email from the
 * traits in any casing or from an email-looking userId, with the name and the userId; without an
 * email nothing is set and a debug message says why.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { parleyDestination } from '../../../destinations/segment/index.js';
import type { ParleyApi, VisitorIdentity } from '../../../src/sdk/api-types.js';
import { parleyFunction } from '../../../src/sdk/queue.js';
import { chatOnPage, newAnalytics } from './support.js';

describe('identify', () => {
  let chat: ParleyApi;
  let identified: VisitorIdentity[];
  let debug: MockInstance<typeof console.debug>;

  beforeEach(async () => {
    localStorage.clear();
    ({ chat, identified } = await chatOnPage());
    debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
  });
  afterEach(() => {
    chat.destroy();
    delete (window as { Parley?: unknown }).Parley;
    vi.restoreAllMocks();
  });

  /** analytics-next with the destination on a page whose widget has loaded (window.Parley). */
  async function analyticsWithParley() {
    (window as { Parley?: unknown }).Parley = parleyFunction(chat);
    const plugin = parleyDestination();
    const analytics = newAnalytics();
    await analytics.register(plugin);
    await vi.waitFor(() => expect(plugin.isLoaded()).toBe(true));
    return analytics;
  }

  it('passes the email, the name and the userId, and nothing else', async () => {
    const analytics = await analyticsWithParley();
    await analytics.identify('u-1', { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro', age: 36 });
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(identified).toEqual([{ email: 'ada@example.com', name: 'Ada Lovelace', userId: 'u-1' }]);
    expect(debug).not.toHaveBeenCalled();
  });

  it('finds traits in any casing, and builds the name from the first and last names', async () => {
    const analytics = await analyticsWithParley();
    await analytics.identify('u-2', { Email: 'grace@example.com', First_Name: 'Grace', LastName: 'Hopper' });
    await analytics.identify('u-3', { EMAIL: 'alan@example.com', NAME: 'Alan Turing' });
    // analytics-next keeps the user's traits across calls: a new visitor starts after reset().
    analytics.reset();
    await analytics.identify({ eMail: 'anonymous@example.com', firstName: 'Anne' });
    await vi.waitFor(() => expect(identified).toHaveLength(3));
    expect(identified).toEqual([
      { email: 'grace@example.com', name: 'Grace Hopper', userId: 'u-2' },
      { email: 'alan@example.com', name: 'Alan Turing', userId: 'u-3' },
      { email: 'anonymous@example.com', name: 'Anne' },
    ]);
  });

  it('takes the email from a userId that is one', async () => {
    const analytics = await analyticsWithParley();
    await analytics.identify('katherine@example.com', { name: 'Katherine Johnson' });
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(identified).toEqual([
      { email: 'katherine@example.com', name: 'Katherine Johnson', userId: 'katherine@example.com' },
    ]);
  });

  it('sets nothing without an email, and says so in a debug message', async () => {
    const analytics = await analyticsWithParley();
    await analytics.identify('u-4', { name: 'No Email' });
    await analytics.identify('u-5', { email: 'not an email' });
    await vi.waitFor(() => expect(debug).toHaveBeenCalledTimes(2));
    expect(debug.mock.calls[0]![0]).toMatch(/identify without an email .*: nothing set/);
    // A later identify with an email still goes through: the one before it set nothing.
    await analytics.identify('u-6', { email: 'ada@example.com' });
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(identified).toEqual([{ email: 'ada@example.com', userId: 'u-6' }]);
  });

  it('uses a chat from createChat() instead of window.Parley', async () => {
    const plugin = parleyDestination({ chat });
    const analytics = newAnalytics();
    await analytics.register(plugin);
    await analytics.identify('u-7', { email: 'ada@example.com' });
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(plugin.isLoaded()).toBe(true);
    expect(identified).toEqual([{ email: 'ada@example.com', userId: 'u-7' }]);
    expect((window as { Parley?: unknown }).Parley).toBeUndefined();
  });

  it('passes its changes to a destination middleware (analytics.addDestinationMiddleware) and obeys its drops', async () => {
    const analytics = await analyticsWithParley();
    await analytics.addDestinationMiddleware('Parley', ({ payload, next }) => {
      const traits = payload.obj.traits as Record<string, unknown>;
      if (traits.internal) return next(null);
      payload.obj.traits = { ...traits, name: String(traits.name).toUpperCase() };
      next(payload);
    });
    await analytics.identify('u-8', { email: 'staff@example.com', name: 'Staff', internal: true });
    await analytics.identify('u-9', { email: 'ada@example.com', name: 'Ada' });
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(identified).toEqual([{ email: 'ada@example.com', name: 'ADA', userId: 'u-9' }]);
  });
});
