import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat } from '../../src/transport/heartbeat.js';

describe('Heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings every interval and declares the link dead after twice the interval of silence', () => {
    const ping = vi.fn();
    const dead = vi.fn();
    const heartbeat = new Heartbeat({ ping, dead });
    heartbeat.start(200, true);
    vi.advanceTimersByTime(399);
    expect(ping).toHaveBeenCalledTimes(1);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledTimes(1);
    expect(dead).toHaveBeenCalledWith(400);
    vi.advanceTimersByTime(2000);
    expect(ping).toHaveBeenCalledTimes(2);
    expect(dead).toHaveBeenCalledTimes(1);
  });

  it('counts any activity as life and measures silence from the last of it', () => {
    const dead = vi.fn();
    const heartbeat = new Heartbeat({ ping: () => undefined, dead });
    heartbeat.start(200, false);
    for (let step = 0; step < 10; step++) {
      vi.advanceTimersByTime(300);
      heartbeat.alive();
    }
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(399);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledTimes(1);
    heartbeat.stop();
  });

  it('judges the silence at once on check()', () => {
    let now = 0;
    const dead = vi.fn();
    const heartbeat = new Heartbeat({ ping: () => undefined, dead, now: () => now });
    heartbeat.start(1000, false);
    now = 60_000; // the tab slept: timers did not run
    heartbeat.check();
    expect(dead).toHaveBeenCalledWith(60_000);
  });
});
