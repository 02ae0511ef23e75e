/**
 * A message body as text, with http(s) URLs turned into safe links. Preact sets text as text
 * nodes, so markup in a message stays visible characters; no other scheme is ever linked.
 */
import type { JSX } from 'preact';

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Sentence punctuation after a URL belongs to the sentence; a ")" only when nothing opened it. */
function trimUrl(url: string): string {
  const trimmed = url.replace(/[.,;:!?]+$/, '');
  return trimmed.endsWith(')') && !trimmed.includes('(') ? trimmed.slice(0, -1) : trimmed;
}

/**
 * Splits a message body into text and links.
 * @example
 * <MessageText text="See https://example.com/docs." />
 */
export function MessageText({ text }: { text: string }): JSX.Element {
  const parts: (string | JSX.Element)[] = [];
  let rest = 0;
  for (const match of text.matchAll(urlPattern)) {
    const url = trimUrl(match[0]);
    parts.push(text.slice(rest, match.index));
    parts.push(
      <a href={url} rel="noopener noreferrer nofollow" target="_blank">
        {url}
      </a>,
    );
    rest = match.index + url.length;
  }
  parts.push(text.slice(rest));
  return <>{parts}</>;
}
