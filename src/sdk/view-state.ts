/** The state the widget renders, its subscribers and `t()`: the part of the controller the launcher needs. */
import type { ChatViewState } from './types.js';
import { isRtlLocale, pickLocale, translate } from '../widget/index.js';

/**
 * Holds the ChatViewState and tells subscribers about each change. It lives in the entry chunk so
 * the launcher can draw before the rest of the SDK arrives; the controller writes to it later.
 *
 * @example
 * const view = new ViewState('de');
 * view.subscribe((state) => console.log(state.unread));
 * view.update({ unread: 2 });
 */
export class ViewState {
  state: ChatViewState;
  readonly #viewers = new Set<(state: ChatViewState) => void>();

  constructor(requestedLocale: string | undefined) {
    const locale = pickLocale(requestedLocale, document.documentElement.lang || navigator.language);
    this.state = {
      open: false,
      visible: true,
      online: false,
      consent: 'pending',
      connection: 'idle',
      messages: [],
      agentTyping: false,
      unread: 0,
      settings: {},
      locale,
      rtl: isRtlLocale(locale) || document.documentElement.dir === 'rtl',
    };
  }

  subscribe(listener: (state: ChatViewState) => void): () => void {
    this.#viewers.add(listener);
    return () => this.#viewers.delete(listener);
  }

  t(key: string, values?: Record<string, string | number>): string {
    return translate(this.state.locale, key, values, this.state.settings.texts);
  }

  /** Applies a change and returns the state before it. A subscriber that throws is logged, not fatal. */
  update(patch: Partial<ChatViewState>): ChatViewState {
    const before = this.state;
    this.state = { ...before, ...patch };
    for (const viewer of [...this.#viewers]) {
      try {
        viewer(this.state);
      } catch (error) {
        console.error('[parley] the widget failed to render', error);
      }
    }
    return before;
  }

  clear(): void {
    this.#viewers.clear();
  }
}
