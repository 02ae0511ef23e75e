/**
 * A stand-in for the widget UI that keeps the SDK's tests independent of the Preact chat box: a
 * shadow root, a launcher button that shows the text the real one shows, and a chat box that only
 * records that it was mounted.
 */
import type { WidgetUi } from '../../../src/sdk/widget-ui.js';

export interface FakeUi extends WidgetUi {
  /** How many times the chat box chunk was asked for. */
  chatBoxLoads: number;
  /** How many chat boxes are mounted. */
  mountedChatBoxes: number;
  /** The launcher button, once drawn. */
  launcher(): HTMLButtonElement | undefined;
}

export function fakeUi(): FakeUi {
  let button: HTMLButtonElement | undefined;
  const ui: FakeUi = {
    chatBoxLoads: 0,
    mountedChatBoxes: 0,
    launcher: () => button,
    createRoot(options) {
      const host = document.createElement('div');
      const root = host.attachShadow({ mode: 'open' });
      (options.container ?? document.body).append(host);
      return { host, root, setTheme: () => undefined, destroy: () => host.remove() };
    },
    mountLauncher(root, controller, onInterest) {
      button = document.createElement('button');
      button.addEventListener('pointerenter', onInterest);
      button.addEventListener('click', () => (controller.getState().open ? controller.close() : controller.open()));
      const update = () => {
        const state = controller.getState();
        button!.textContent = controller.t(state.online ? 'launcher.online' : 'launcher.offline');
        button!.hidden = !state.visible;
      };
      update();
      root.append(button);
      return { update, destroy: () => button?.remove() };
    },
    loadChatBox() {
      ui.chatBoxLoads += 1;
      return Promise.resolve(() => {
        ui.mountedChatBoxes += 1;
        return () => (ui.mountedChatBoxes -= 1);
      });
    },
  };
  return ui;
}
