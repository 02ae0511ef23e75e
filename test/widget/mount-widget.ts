/** Mounts the real widget (shadow root, launcher, chat box) against a fake controller. */
import { act, within } from '@testing-library/preact';
import type { ChatViewState } from '../../src/sdk/types.js';
import { mountChatBox } from '../../src/widget/chatbox.js';
import { mountLauncher } from '../../src/widget/launcher.js';
import { createWidgetRoot } from '../../src/widget/root.js';
import { createFakeController } from './fake-controller.js';

export function mountWidget(patch: Partial<ChatViewState> = {}) {
  const widget = createWidgetRoot();
  const controller = createFakeController(patch);
  const launcher = mountLauncher(widget.root, controller, () => undefined);
  controller.subscribe((state) => launcher.update(state));
  let unmount!: () => void;
  // act() flushes synchronous work at once; its promise only matters for async callbacks.
  void act(() => {
    unmount = mountChatBox(widget.root, controller);
  });
  // Queries run on the chat box's container element: Testing Library prints failures only for elements.
  const container = [...widget.root.children].find((child) => child.tagName === 'DIV') as HTMLElement;
  return {
    root: widget.root,
    launcher: () => widget.root.querySelector('button')!,
    controller,
    /** Testing Library queries scoped to the chat box. */
    view: within(container),
    /** The chat box section. */
    box: () => widget.root.querySelector('section')!,
    /** Changes the state the way the SDK would, and lets Preact re-render. */
    update: (next: Partial<ChatViewState>) => act(() => controller.set(next)),
    unmount: () => act(() => unmount()),
    destroy: () => {
      void act(() => unmount());
      widget.destroy();
    },
  };
}
