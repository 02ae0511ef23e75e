/**
 * The widget's place on the host page: one custom-named host element with an open Shadow DOM, so
 * no CSS leaks in or out, and the launcher's stylesheet adopted into it.
 */
import type { WidgetSettings } from '../sdk/types.js';
import { launcherCss } from './launcher-css.js';
import { adoptStyles } from './styles.js';
import { applyAccentColor } from './theme.js';

export interface WidgetRootOptions {
  /** Inline mode: render inside this element instead of floating over the page. */
  container?: HTMLElement;
  /** The site's CSP nonce, used only where constructable stylesheets are missing. */
  nonce?: string;
  /** Which corner the launcher and the box float in (not used in inline mode). */
  position?: 'right' | 'left';
  /** The accent colour, a hex colour such as "#0a7d4f"; anything else is ignored. */
  color?: string;
}

export interface WidgetRoot {
  host: HTMLElement;
  root: ShadowRoot;
  /** Applies the config's theme (colour and position) once it has loaded. */
  setTheme(theme: WidgetSettings['theme']): void;
  /** Removes the widget from the page. */
  destroy(): void;
}

/**
 * Creates the host element (at the end of `document.body`, or inside `container` for inline mode)
 * with an open shadow root holding the launcher's styles.
 * @example
 * const { root, setTheme, destroy } = createWidgetRoot({ nonce: 'r4nd0m' });
 * setTheme({ color: '#0a7d4f', position: 'left' });
 */
export function createWidgetRoot(options: WidgetRootOptions = {}): WidgetRoot {
  // A custom element name: page rules written for `div` or `section` cannot reach the host.
  const host = document.createElement('parley-widget');
  if (options.container) host.setAttribute('data-inline', '');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, launcherCss, options.nonce);
  const setTheme: WidgetRoot['setTheme'] = (theme) => {
    applyAccentColor(host, theme?.color);
    if (theme?.position) host.setAttribute('data-position', theme.position === 'left' ? 'left' : 'right');
  };
  setTheme({ color: options.color, position: options.position });
  (options.container ?? document.body).append(host);
  return { host, root, setTheme, destroy: () => host.remove() };
}
