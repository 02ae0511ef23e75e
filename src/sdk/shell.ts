/**
 * What the page gets before the rest of the SDK arrives: the widget's shadow root, the launcher
 * and the public config. It holds no visitor data, writes nothing and connects to nothing but
 * the public config endpoint, so it may run before consent.
 */
import type { ChatEnvironment } from './environment.js';
import type { ResolvedOptions } from './options.js';
import { readSettings } from './settings.js';
import { nextTask } from './tasks.js';
import type { ChatActions, ChatController, WidgetSettings } from './types.js';
import { ViewState } from './view-state.js';
import type { Launcher, WidgetRoot } from '../widget/index.js';

export interface WidgetConfig {
  online: boolean;
  settings: WidgetSettings;
}

/** The controller the launcher is handed before the real one exists, and what it can preload. */
export type AttachableController = ChatController & { preload?(): void };

export interface Shell {
  readonly view: ViewState;
  readonly widget: WidgetRoot;
  /** The public config once loaded; undefined when it could not be (the widget still works). */
  readonly config: Promise<WidgetConfig | undefined>;
  /**
   * Resolves once the launcher's first frame is painted: at once for an inline chat, and after a
   * second at the latest (a background tab paints nothing, and the config may be slow).
   */
  readonly shown: Promise<void>;
  /** Hands the launcher's clicks to the controller; clicks made before wait for it. */
  attach(controller: AttachableController): void;
  destroy(): void;
}

/** How long the launcher waits for the public config before it shows anyway. */
const launcherWaitMs = 3000;
/** How long `shown` waits for the launcher's first frame. */
const shownWaitMs = 1000;

const actionNames: readonly (keyof ChatActions)[] = [
  'open',
  'close',
  'grantConsent',
  'send',
  'draftChanged',
  'requestCallMe',
  'sendOfflineMessage',
  'submitSurvey',
  'endChat',
];

/**
 * Creates the widget root (in the page, or in `options.container`), fetches the public config (no
 * credentials), and then draws the launcher with the config's text and theme, unless the chat is
 * inline. The launcher takes the place of the snippet's `bubble`, which goes at once if the
 * launcher is hidden.
 *
 * @example
 * const shell = drawShell(options, browserEnvironment());
 * shell.attach(controller); // once the SDK's core has loaded
 */
export function drawShell(
  options: ResolvedOptions,
  env: Pick<ChatEnvironment, 'fetch' | 'ui'>,
  bubble?: HTMLElement,
): Shell {
  const view = new ViewState(options.locale);
  const widget = env.ui.createRoot({
    ...(options.container ? { container: options.container } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
  });
  let target: AttachableController | undefined;
  const waiting: (() => void)[] = [];
  const facade = {
    getState: () => view.state,
    subscribe: (listener) => view.subscribe(listener),
    t: (key, values) => view.t(key, values),
  } as ChatController;
  for (const name of actionNames) {
    (facade[name] as (...args: unknown[]) => unknown) = (...args) => {
      const run = () => (target![name] as (...input: unknown[]) => unknown)(...args);
      return target ? run() : void waiting.push(run);
    };
  }
  const configUrl = `${options.server}/v1/widgets/${encodeURIComponent(options.widgetId)}/config`;
  // A page's first fetch costs a task of its own; so do drawing the root, and the launcher below.
  const config = nextTask()
    .then(() => env.fetch(configUrl, { credentials: 'omit' }))
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then((body: { online?: unknown; settings?: unknown }) => {
      const loaded = { online: body.online === true, settings: readSettings(body.settings) };
      widget.setTheme(loaded.settings.theme);
      // Once connected, the server's live availability is fresher than this (cacheable) answer.
      view.update(view.state.connection === 'open' ? { settings: loaded.settings } : loaded);
      return loaded;
    })
    .catch((error: unknown) => {
      console.warn('[parley] could not load the widget settings', error);
      return undefined;
    });

  // The launcher waits for the config (at most a few seconds), so it never flips from "Leave a
  // message" to "Chat with us" in front of the visitor; the snippet's bubble holds its place.
  view.subscribe((state) => {
    if (!state.visible) bubble?.remove();
  });
  let launcher: Launcher | undefined;
  let stopDrawing: (() => void) | undefined;
  let destroyed = false;
  let markShown!: () => void;
  const shown = new Promise<void>((resolve) => {
    markShown = resolve;
    setTimeout(resolve, options.container ? 0 : shownWaitMs);
  });
  const drawLauncher = () => {
    if (destroyed || launcher || options.container) return;
    const drawn = (launcher = env.ui.mountLauncher(widget.root, facade, () => {
      env.ui.loadChatBox().catch(() => undefined);
      target?.preload?.();
    }));
    stopDrawing = view.subscribe((state) => drawn.update(state));
    bubble?.remove();
    // A task queued in the frame's animation callback runs after that frame is painted.
    requestAnimationFrame(() => setTimeout(markShown));
  };
  void config.then(nextTask).then(drawLauncher);
  setTimeout(drawLauncher, launcherWaitMs);

  return {
    view,
    widget,
    config,
    shown,
    attach(controller) {
      target = controller;
      for (const run of waiting.splice(0)) run();
    },
    destroy() {
      destroyed = true;
      bubble?.remove();
      stopDrawing?.();
      launcher?.destroy();
      widget.destroy();
      view.clear();
    },
  };
}
