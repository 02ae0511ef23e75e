/** Hands the SDK's controller (actions and strings) to every chat box component without prop drilling. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ChatController } from '../sdk/types.js';

export const ControllerContext = createContext<ChatController | null>(null);

/**
 * The controller of the chat box being rendered.
 * @example
 * const { t, send } = useController();
 */
export function useController(): ChatController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('parley: chat box component rendered outside mountChatBox');
  return controller;
}
