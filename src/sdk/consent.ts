/** The visitor's consent: the site's default, the decision made, and what each state allows. */
import type { ConsentState } from './types.js';

/**
 * Consent as the widget applies it. With no decision the default rules (`implicit`, or `pending`
 * when consent is required). `granted` and `implicit` allow storage and a connection; `denied`
 * allows a memory-only chat for the life of the page; `pending` allows neither.
 *
 * @example
 * const consent = new ConsentPolicy(false, undefined);
 * consent.state(); // "pending"
 * consent.decide('granted');
 * consent.allowsStorage(); // true
 */
export class ConsentPolicy {
  #implicitByDefault: boolean;
  #decision: 'granted' | 'denied' | undefined;

  constructor(implicitByDefault: boolean, decision: 'granted' | 'denied' | undefined) {
    this.#implicitByDefault = implicitByDefault;
    this.#decision = decision;
  }

  state(): ConsentState {
    return this.#decision ?? (this.#implicitByDefault ? 'implicit' : 'pending');
  }

  setDefault(implicit: boolean): void {
    this.#implicitByDefault = implicit;
  }

  decide(decision: 'granted' | 'denied' | undefined): void {
    this.#decision = decision;
  }

  allowsStorage(): boolean {
    const state = this.state();
    return state === 'implicit' || state === 'granted';
  }

  allowsConnection(): boolean {
    return this.state() !== 'pending';
  }
}
