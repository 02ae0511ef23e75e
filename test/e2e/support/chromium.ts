/**
 * The browser tests' Chromium (the launch recipe lives in scripts/chromium.mjs, shared with the
 * page benchmark) and the rule for a machine without it: skip with a reason locally, fail in CI.
 */
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { chromiumPath } from '../../../scripts/chromium.mjs';

export { launchChromium } from '../../../scripts/chromium.mjs';

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
