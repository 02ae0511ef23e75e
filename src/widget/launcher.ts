/**
 * The launcher button, in plain DOM: it ships in the entry chunk, before any interest, where
 * Preact would cost kilobytes for one button.
 */
import type { ChatController, ChatViewState } from '../sdk/types.js';
import { launcherId } from './dom-ids.js';

export interface Launcher {
  /** Redraws the launcher for a new state. */
  update(state: ChatViewState): void;
  /** Removes the launcher. */
  destroy(): void;
}

const span = (className: string) => {
  const element = document.createElement('span');
  element.className = className;
  return element;
};

/**
 * Adds the launcher to the widget's shadow root. It toggles the chat box and calls `onInterest`
 * once, on the first hover, focus or click, so the SDK can start loading the chat box.
 * Its text invites a chat whatever the consent state: asking for consent is the chat box's job.
 * @example
 * const launcher = mountLauncher(root, controller, () => void import('./chatbox.js'));
 * controller.subscribe((state) => launcher.update(state));
 */
export function mountLauncher(root: ShadowRoot, controller: ChatController, onInterest: () => void): Launcher {
  const button = document.createElement('button');
  button.type = 'button';
  button.id = launcherId;
  button.className = 'launcher';
  const label = span('');
  // The visible count is hidden from screen readers, which read the labelled count instead.
  const badge = span('badge');
  badge.setAttribute('aria-hidden', 'true');
  const badgeLabel = span('sr');
  button.append(label, badge, badgeLabel);

  let interested = false;
  const showInterest = () => {
    if (!interested) {
      interested = true;
      onInterest();
    }
  };
  button.addEventListener('pointerenter', showInterest);
  button.addEventListener('focus', showInterest);
  button.addEventListener('click', () => {
    showInterest();
    if (controller.getState().open) controller.close();
    else controller.open();
  });

  const update = (state: ChatViewState) => {
    label.textContent = controller.t(state.online ? 'launcher.online' : 'launcher.offline');
    button.hidden = !state.visible;
    button.setAttribute('aria-expanded', String(state.open));
    button.dir = state.rtl ? 'rtl' : 'ltr';
    button.lang = state.locale;
    badge.hidden = badgeLabel.hidden = state.unread < 1;
    badge.textContent = state.unread > 99 ? '99+' : String(state.unread);
    badgeLabel.textContent = controller.t('launcher.unread', { count: state.unread });
  };
  update(controller.getState());
  root.append(button);
  return { update, destroy: () => button.remove() };
}
