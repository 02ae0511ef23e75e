// Debian's Chromium driven by playwright-core, launched one way for the browser tests
// (test/e2e) and the page benchmark (bench/page.mjs). `npx playwright install` cannot work on
// these machines; `.ci/run` installs Debian's `chromium` package instead.
import { chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** The flags of every run: headless, no sandbox, and no background traffic to skew a measurement. */
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
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launchChromium() {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
}
