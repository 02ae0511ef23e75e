/**
 * Debian's Chromium driven by playwright-core: one launch recipe for the browser tests and the
 * page benchmark, and the rule for a machine without Chromium (skip with a reason locally, fail in CI).
 */
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** The flags every run uses (DEVELOPERS.md of issue 6): headless, no sandbox, no background traffic. */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium with a fresh profile: `launch()` gives each browser its own temporary
 * user-data-dir, deleted on close.
 * @example
 * const browser = await launchChromium();
 * const page = await (await browser.newContext()).newPage();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
}

/**
 * `describe` for browser tests. Without Chromium the tests are skipped with a printed reason, except
 * when `CI` is set: then a failing test says what is missing, since CI must prove the browser path.
 * @example
 * describeInChromium('consent', () => { it('stores nothing before consent', async () => { ... }); });
 */
export function describeInChromium(name: string, body: () => void): void {
  if (existsSync(chromiumPath)) {
    describe(name, body);
    return;
  }
  const reason = `${chromiumPath} is missing (install Debian's chromium: apt-get install -y chromium)`;
  if (process.env.CI) {
    describe(name, () => {
      it('runs in Chromium', () => {
        throw new Error(`${reason}; CI needs the browser tests, so they fail instead of being skipped`);
      });
    });
    return;
  }
  console.warn(`[e2e] skipping "${name}": ${reason}`);
  describe.skip(name, body);
}
