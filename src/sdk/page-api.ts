/**
 * The widget bundle's core, loaded once the launcher is on screen: it creates the controller,
 * puts the real `Parley` function in place of the snippet's stub and replays the queued calls.
 */
import { createApi } from './api.js';
import { Controller } from './controller.js';
import type { ChatEnvironment } from './environment.js';
import type { ResolvedOptions } from './options.js';
import { drainQueue, parleyFunction, type QueuedCall } from './queue.js';
import type { Shell } from './shell.js';

/**
 * Takes over from the snippet: calls queued so far run in order (so a queued consent decision
 * applies before the controller starts storing or connecting), later calls run at once.
 *
 * @example
 * const { installPageApi } = await import('./page-api.js');
 * installPageApi(shell, options, environment, window.Parley.q);
 */
export function installPageApi(
  shell: Shell,
  options: ResolvedOptions,
  env: ChatEnvironment,
  queue: readonly QueuedCall[],
): void {
  const controller = new Controller(options, env, shell);
  const api = createApi(controller);
  (window as unknown as { Parley: unknown }).Parley = parleyFunction(api);
  shell.attach(controller);
  drainQueue(queue, api);
  controller.start();
}
