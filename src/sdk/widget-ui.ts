/**
 * The SDK's seam to the widget UI: the shadow root and launcher load with the entry (plain DOM);
 * the Preact chat box is a dynamic import, so it lands in its own chunk.
 */
import type { ChatController } from './types.js';
import {
  createWidgetRoot,
  mountLauncher,
  type Launcher,
  type WidgetRoot,
  type WidgetRootOptions,
} from '../widget/index.js';

export type MountChatBox = (root: ShadowRoot, controller: ChatController) => () => void;

export interface WidgetUi {
  createRoot(options: WidgetRootOptions): WidgetRoot;
  mountLauncher(root: ShadowRoot, controller: ChatController, onInterest: () => void): Launcher;
  /** Loads the chat box chunk; calling it again reuses the loaded module. */
  loadChatBox(): Promise<MountChatBox>;
}

/** The real widget UI of src/widget. */
export const widgetUi: WidgetUi = {
  createRoot: createWidgetRoot,
  mountLauncher,
  loadChatBox: () => import('../widget/chatbox.js').then((module) => module.mountChatBox),
};
