/** A link to a page a visitor named: only http(s) becomes a link, and it never leaks the Hub as opener or referrer. */
import type { JSX } from 'preact';

/**
 * Whether a URL may be linked: absolute and http or https.
 *
 * @example
 * isWebUrl('https://example.com'); // true
 * isWebUrl('javascript:alert(1)'); // false
 */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Renders `href` as a new-tab link when it is http(s), else as plain text.
 *
 * @example
 * <SafeLink href={details.page} />
 */
export function SafeLink({ href, children }: { href: string; children?: string }): JSX.Element {
  if (!isWebUrl(href)) return <span class="url">{children ?? href}</span>;
  return (
    <a class="url" href={href} target="_blank" rel="noopener noreferrer">
      {children ?? href}
    </a>
  );
}
