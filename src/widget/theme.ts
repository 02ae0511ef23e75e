/**
 * The site's accent colour, applied through CSS custom properties on the host element. They are
 * set with the CSSOM (`style.setProperty`), which CSP allows, never with a style attribute.
 */

const hexColor = /^#(?:[\da-f]{3,4}|[\da-f]{6}|[\da-f]{8})$/i;

/** Relative luminance (WCAG 2) of a colour already checked by `hexColor`. */
function luminance(color: string): number {
  const hex = color.length < 6 ? color.replace(/[\da-f]/gi, '$&$&') : color;
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * Sets `--parley-accent` and a readable text colour on it (`--parley-on-accent`, black or white,
 * whichever contrasts more). Anything but a hex colour is ignored, so a config value cannot
 * smuggle other CSS in. Returns whether the colour was applied.
 * @example
 * applyAccentColor(host, '#0a7d4f'); // true
 * applyAccentColor(host, 'red;background:url(//x)'); // false
 */
export function applyAccentColor(host: HTMLElement, color: string | undefined): boolean {
  if (!color || !hexColor.test(color)) return false;
  // White text contrasts (1.05 / (L + 0.05)); black text contrasts ((L + 0.05) / 0.05).
  const light = luminance(color);
  const onAccent = 1.05 / (light + 0.05) >= (light + 0.05) / 0.05 ? '#fff' : '#111';
  host.style.setProperty('--parley-accent', color);
  host.style.setProperty('--parley-on-accent', onAccent);
  return true;
}
