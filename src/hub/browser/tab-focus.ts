/** Whether any Hub tab of this browser has focus: each tab reports its own over the tab channel. */
import type { TabChannel } from '../state/tab-channel.js';

export interface TabFocus {
  /** This tab gained or lost focus. */
  set(focused: boolean): void;
  /** True when this tab or another Hub tab has focus. */
  anyFocused(): boolean;
  dispose(): void;
}

/** A focused tab repeats its report this often; a report older than twice that is stale (a crashed tab). */
const refreshMs = 20_000;

/**
 * Tracks the focus of every Hub tab.
 *
 * @example
 * const focus = createTabFocus(tabs, document.hasFocus());
 * window.addEventListener('focus', () => focus.set(true));
 * if (!focus.anyFocused()) notify();
 */
export function createTabFocus(tabs: TabChannel | undefined, initial: boolean, now = Date.now): TabFocus {
  const tab = Math.random().toString(36).slice(2);
  const others = new Map<string, number>();
  let focused = initial;
  const report = () => tabs?.post({ t: 'focus', tab, focused });
  const timer = setInterval(() => focused && report(), refreshMs);
  const stop = tabs?.listen((message) => {
    if (message.t !== 'focus' || message.tab === tab) return;
    if (message.focused) others.set(message.tab, now());
    else others.delete(message.tab);
  });
  report();
  return {
    set(value) {
      if (value === focused) return;
      focused = value;
      report();
    },
    anyFocused() {
      if (focused) return true;
      for (const [other, at] of others) {
        if (now() - at < refreshMs * 2) return true;
        others.delete(other);
      }
      return false;
    },
    dispose() {
      clearInterval(timer);
      stop?.();
      if (focused) tabs?.post({ t: 'focus', tab, focused: false });
    },
  };
}
