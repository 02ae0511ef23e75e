/**
 * Puts a stylesheet into a shadow root without inline styles, so a strict CSP
 * (`style-src 'self'`, no `unsafe-inline`) needs no exception.
 */

/** The nonce each root was created with, so a sheet added later (the chat box) can reuse it. */
const nonces = new WeakMap<ShadowRoot, string>();

/**
 * Adopts `css` as a constructable stylesheet, which CSP does not treat as inline. Browsers without
 * constructable stylesheets get a `<style>` element carrying the site's nonce instead.
 * Returns a function that removes the sheet again.
 * @example
 * const remove = adoptStyles(shadowRoot, '.box{color:#111}', 'r4nd0m');
 * remove();
 */
export function adoptStyles(root: ShadowRoot, css: string, nonce?: string): () => void {
  if (nonce) nonces.set(root, nonce);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return () => {
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
    };
  } catch {
    // No constructable stylesheets (Safari before 16.4): the constructor or the spread throws.
    const style = document.createElement('style');
    const knownNonce = nonces.get(root);
    if (knownNonce) style.nonce = knownNonce;
    style.textContent = css;
    root.append(style);
    return () => style.remove();
  }
}
