/** A message body as text, with http(s) addresses turned into safe links; markup stays visible characters. */
import type { JSX } from 'preact';
import { splitLinks } from '../../protocol/index.js';
import { SafeLink } from './safe-link.js';

/**
 * Renders a body's text and links.
 *
 * @example
 * <MessageText text="See https://example.com/docs." />
 */
export function MessageText({ text }: { text: string }): JSX.Element {
  return <>{splitLinks(text).map((part) => (part.link ? <SafeLink href={part.text} /> : part.text))}</>;
}
