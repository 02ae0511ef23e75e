/** `createChat`: the chat for apps that install Parley from npm (the snippet's bundle has its own entry). */
import { createApi } from './api.js';
import type { ChatOptions, ParleyApi } from './api-types.js';
import { Controller } from './controller.js';
import { browserEnvironment, type ChatEnvironment } from './environment.js';
import { badCall } from './errors.js';
import { readOptions } from './options.js';
import { drawShell } from './shell.js';

/**
 * Creates the chat on the page (a launcher, or the chat box inside `options.container`) and
 * returns its API. Nothing is stored or connected before the current task ends, so calls made
 * right away (such as `setDefaultImplicitConsent(false)`) apply first. Call it once the page has a
 * `<body>` (or pass a `container`). Bad options never throw: they warn, and every call of the
 * returned API then rejects with the same coded error.
 *
 * @example
 * import { createChat } from 'parley';
 * const chat = createChat({ widgetId: '0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70', server: 'https://chat.example.com' });
 * chat.on('Live Chat Message Received', (properties) => analytics.track('Live Chat Message Received', properties));
 * await chat.identify({ email: 'ada@example.com', name: 'Ada' });
 */
export function createChat(options: ChatOptions): ParleyApi {
  return createChatIn(options, browserEnvironment());
}

/**
 * `createChat` with an explicit environment (fetch, WebSocket, storage, tabs, UI): tests and
 * embedders use it; pages use `createChat`.
 *
 * @example
 * const chat = createChatIn(options, { ...browserEnvironment(), WebSocket: MyWebSocket });
 */
export function createChatIn(options: ChatOptions, env: ChatEnvironment): ParleyApi {
  const resolved = readOptions(options);
  if (typeof resolved === 'string') return createApi(badCall('invalid_argument', 'createChat', resolved));
  if (!resolved.container && !document.body) {
    return createApi(
      badCall('not_ready', 'createChat', 'call createChat once the page has a <body>, or pass a container'),
    );
  }
  const shell = drawShell(resolved, env);
  const controller = new Controller(resolved, env, shell);
  shell.attach(controller);
  queueMicrotask(() => controller.start());
  return createApi(controller);
}
