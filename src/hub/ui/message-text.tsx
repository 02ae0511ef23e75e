/** A message body as text, with http(s) addresses turned into safe links; markup stays visible characters. */
import type { JSX } from 'preact';
import { SafeLink } from './safe-link.js';

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Sentence punctuation after a URL belongs to the sentence; a ")" only when nothing opened it. */
function trimUrl(url: string): string {
  const trimmed = url.replace(/[.,;:!?]+$/, '');
  return trimmed.endsWith(')') && !trimmed.includes('(') ? trimmed.slice(0, -1) : trimmed;
}

/**
 * Splits a body into text nodes and links.
 *
 * @example
 * <MessageText text="See https://example.com/docs." />
 */
export function MessageText({ text }: { text: string }): JSX.Element {
  const parts: (string | JSX.Element)[] = [];
  let rest = 0;
  for (const match of text.matchAll(urlPattern)) {
    const url = trimUrl(match[0]);
    parts.push(text.slice(rest, match.index));
    parts.push(<SafeLink href={url} />);
    rest = match.index + url.length;
  }
  parts.push(text.slice(rest));
  return <>{parts}</>;
}
