/** Checks of what assistive technology and keyboard users meet: axe-core in the page, and where focus is. */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * Runs axe-core (injected from the installed package) over the whole document, open shadow roots
 * included, and lists each violation as `rule-id: target, target…`.
 * @example
 * expect(await axeViolations(page)).toEqual([]);
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    // Judge colours at rest: a fade-in still under way would read as low contrast. Endless
    // animations (the typing dots) never finish and do not fade text.
    const shadowRoots = [...document.querySelectorAll('*')].flatMap((element) => element.shadowRoot ?? []);
    const settling = [document, ...shadowRoots]
      .flatMap((root) => root.getAnimations())
      .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
      .map((animation) => animation.finished.catch(() => undefined));
    await Promise.all(settling);
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map(
      (violation) =>
        `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')} (${violation.help})`,
    );
  });
}

/** The focused element, looking into shadow roots: its tag and accessible text, e.g. `button "Chat with us"`. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return 'body';
    const label = element instanceof HTMLInputElement ? element.labels?.[0]?.textContent : undefined;
    const name = element.getAttribute('aria-label') ?? label ?? element.textContent ?? '';
    return `${element.tagName.toLowerCase()} "${name.trim().replace(/\s+/g, ' ')}"`;
  });
}

/**
 * Presses `key` until the focused element matches, as a keyboard user tabs to a control; fails
 * with the path taken when it is not reached within `limit` presses.
 * @example
 * await pressUntilFocused(page, 'Tab', /^button "Chat with us/);
 */
export async function pressUntilFocused(page: Page, key: string, target: RegExp, limit = 15): Promise<void> {
  const path: string[] = [];
  for (let presses = 0; presses <= limit; presses++) {
    const now = await focused(page);
    path.push(now);
    if (target.test(now)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${String(target)}; focus went ${path.join(' → ')}`);
}
