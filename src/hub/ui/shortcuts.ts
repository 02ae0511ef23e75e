/** The keyboard shortcuts of the console: what each key does, and the list the help shows. */

export type ShortcutAction = 'next-chat' | 'previous-chat' | 'end-chat' | 'take-oldest' | 'focus-reply' | 'help';

/** The shortcuts as the help dialog lists them. */
export const shortcutList: { keys: string[]; does: string }[] = [
  { keys: ['Alt + ↓', 'Alt + J'], does: 'Next chat' },
  { keys: ['Alt + ↑', 'Alt + K'], does: 'Previous chat' },
  { keys: ['Alt + T'], does: 'Take the chat waiting longest' },
  { keys: ['Alt + R'], does: 'Go to the reply box' },
  { keys: ['Enter'], does: 'Send the reply' },
  { keys: ['Shift + Enter'], does: 'New line in the reply' },
  { keys: ['Alt + Shift + E'], does: 'End the chat (asks to confirm)' },
  { keys: ['?', 'Alt + /'], does: 'Show these shortcuts' },
  { keys: ['Esc'], does: 'Close a dialog' },
];

interface KeyLike {
  key: string;
  code?: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
  target?: EventTarget | null;
}

/** Letter keys by physical position, so Alt+J works where Alt turns J into another character (macOS). */
const letter = (event: KeyLike, char: string) =>
  event.code === `Key${char.toUpperCase()}` || event.key.toLowerCase() === char;

function inTextField(target: EventTarget | null | undefined): boolean {
  const element = target as { tagName?: string; isContentEditable?: boolean } | null | undefined;
  const tag = element?.tagName?.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || element?.isContentEditable === true;
}

/**
 * The action a key press asks for, if any.
 *
 * @example
 * shortcutFor({ key: 'ArrowDown', altKey: true, ctrlKey: false, metaKey: false, shiftKey: false }); // "next-chat"
 */
export function shortcutFor(event: KeyLike): ShortcutAction | undefined {
  if (event.isComposing || event.ctrlKey || event.metaKey) return undefined;
  if (event.altKey && event.shiftKey) return letter(event, 'e') ? 'end-chat' : undefined;
  if (event.altKey) {
    if (event.key === 'ArrowDown' || letter(event, 'j')) return 'next-chat';
    if (event.key === 'ArrowUp' || letter(event, 'k')) return 'previous-chat';
    if (letter(event, 't')) return 'take-oldest';
    if (letter(event, 'r')) return 'focus-reply';
    if (event.key === '/' || event.code === 'Slash') return 'help';
    return undefined;
  }
  if (event.key === '?' && !inTextField(event.target)) return 'help';
  return undefined;
}
