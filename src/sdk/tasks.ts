/**
 * Resolves in a new task of the page's event loop. Work chained after it runs apart from the work
 * before it, so neither grows into a long task (over 50 ms) on a slow phone, where the widget's
 * start would otherwise hold the page's main thread in one piece.
 * @example
 * await nextTask();
 * drawTheRest();
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve));
}
