/**
 * The widget bundle's entry (dist/widget/widget.js, loaded by the snippet). It draws the launcher
 * from the snippet's settings, in place of the snippet's bubble, as soon as the page's body exists.
 * Once the launcher is on screen, it loads the SDK's core, which replaces the `Parley` stub and
 * drains its queue; calls made meanwhile keep queueing in the stub.
 */
import type { ParleyFunction } from './api-types.js';
import { browserEnvironment } from './environment.js';
import { badCall } from './errors.js';
import { readOptions } from './options.js';
import type { QueuedCall, SnippetStub } from './queue.js';
import { drawShell } from './shell.js';
import { nextTask } from './tasks.js';

const stub = (window as unknown as { Parley?: SnippetStub | ParleyFunction }).Parley as SnippetStub | undefined;

/** True when the calls queued so far leave the launcher hidden: a `hide` with no `show` after it. */
const hiddenByQueue = (queue: QueuedCall[]) =>
  queue.reduce((hidden, [[method]]) => (method === 'hide' ? true : method === 'show' ? false : hidden), false);

function start(): void {
  const settings = stub?.c ?? {};
  const options = readOptions({
    widgetId: settings.widget,
    // Without the snippet's setting, the server is the one that served this bundle.
    server: settings.server ?? new URL(import.meta.url).origin,
    // data-container="#chat": inline mode, in the element that selector names.
    ...(settings.container ? { container: document.querySelector(settings.container) ?? settings.container } : {}),
    ...(settings.consent ? { consent: settings.consent } : {}),
    ...(settings.locale ? { locale: settings.locale } : {}),
    ...(settings.nonce ? { nonce: settings.nonce } : {}),
    ...(settings.open === 'true' ? { open: true } : {}),
  });
  if (typeof options === 'string') {
    stub?.h?.remove();
    badCall('invalid_argument', 'snippet', `${options} (see the data-* attributes of the snippet's script tag)`);
    return;
  }
  const env = browserEnvironment();
  const queue = Array.isArray(stub?.q) ? stub.q : [];
  const shell = drawShell(options, env, stub?.h);
  // The core replays the queue only after the launcher's first frame; a queued hide applies now.
  if (hiddenByQueue(queue)) shell.view.update({ visible: false });
  // The core loads once the launcher is on screen, so the page's first frames carry nothing more.
  shell.shown
    .then(() => import('./page-api.js'))
    // Evaluating the core and installing it are two tasks, so neither is a long one.
    .then((core) => nextTask().then(() => core))
    .then(
      (core) => core.installPageApi(shell, options, env, queue),
      (error: unknown) => console.warn('[parley] could not load the chat', error),
    );
}

// A second copy of the bundle on the same page leaves the first one in charge. The launcher goes in
// as soon as <body> exists; an inline chat waits for the whole document, where its container may
// come after the snippet.
if (!stub?.loaded) {
  const parsing = document.readyState === 'loading' && (!document.body || stub?.c?.container);
  // Compiling this module is one task, and starting the widget is the next.
  if (parsing) document.addEventListener('DOMContentLoaded', start, { once: true });
  else void nextTask().then(start);
}
