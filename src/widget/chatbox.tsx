/**
 * The lazy chat box chunk: the SDK imports this file dynamically on the visitor's first sign of
 * interest, so Preact, signals and the box's styles and strings never load for visitors who don't chat.
 */
import { render } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import type { ChatController } from '../sdk/types.js';
import { chatBoxCss } from './chatbox-css.js';
import { chatBoxStrings } from './chatbox-strings.js';
import { ChatWindow } from './chat-window.js';
import { ControllerContext } from './controller-context.js';
import { addStrings } from './locales.js';
import { adoptStyles } from './styles.js';

/**
 * Renders the chat box into the widget's shadow root and keeps it in step with the controller.
 * Returns the function that unmounts it.
 * @example
 * const { mountChatBox } = await import('../widget/chatbox.js');
 * const unmount = mountChatBox(widget.root, controller);
 */
export function mountChatBox(root: ShadowRoot, controller: ChatController): () => void {
  addStrings(chatBoxStrings);
  const removeStyles = adoptStyles(root, chatBoxCss);
  // Preact's render replaces a parent's existing children, so the box gets its own container
  // rather than the shadow root the launcher lives in.
  const container = document.createElement('div');
  root.append(container);
  const App = () => {
    const [state, setState] = useState(() => controller.getState());
    // Subscribe before paint, then re-read: no state change can slip between the two.
    useLayoutEffect(() => {
      const unsubscribe = controller.subscribe(setState);
      setState(controller.getState());
      return unsubscribe;
    }, []);
    return <ChatWindow state={state} />;
  };
  render(
    <ControllerContext.Provider value={controller}>
      <App />
    </ControllerContext.Provider>,
    container,
  );
  return () => {
    render(null, container);
    container.remove();
    removeStyles();
  };
}
