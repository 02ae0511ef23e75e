import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from '../../src/transport/backoff.js';

describe('backoff', () => {
  it('draws each delay from [0, min(max, min * 2^attempt)) with full jitter', () => {
    const caps = [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000];
    caps.forEach((cap, attempt) => {
      expect(backoffDelay(attempt, { minMs: 500, maxMs: 20_000 }, () => 0)).toBe(0);
      expect(backoffDelay(attempt, { minMs: 500, maxMs: 20_000 }, () => 0.5)).toBe(cap / 2);
      expect(backoffDelay(attempt, { minMs: 500, maxMs: 20_000 }, () => 0.999999)).toBe(cap - 1);
    });
  });

  it('walks the windows in order, never past the maximum, and starts over after reset', () => {
    const backoff = new Backoff({ minMs: 500, maxMs: 20_000, random: () => 0.999999 });
    const delays = Array.from({ length: 12 }, () => backoff.next());
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999, 19999, 19999, 19999, 19999, 19999, 19999]);
    expect(backoff.attempts).toBe(12);
    backoff.reset();
    expect(backoff.next()).toBe(499);
  });

  it('uses the random source for every delay (full jitter, not equal jitter)', () => {
    const draws = [0.1, 0.9, 0.3];
    const backoff = new Backoff({ random: () => draws.shift()! });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 900, 600]);
  });

  it('keeps real delays within bounds over many draws and does not overflow the exponent', () => {
    const backoff = new Backoff({ minMs: 500, maxMs: 20_000 });
    for (let attempt = 0; attempt < 2000; attempt++) {
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(20_000, 500 * 2 ** attempt));
    }
  });
});
