/**
 * Which parts of a message body are links. Both the widget and the Hub render bodies as text and
 * link only what this finds, so a visitor and an agent see the same links in the same message.
 */

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Sentence punctuation after a URL belongs to the sentence; a ")" only when nothing opened it. */
function trimUrl(url: string): string {
  const trimmed = url.replace(/[.,;:!?]+$/, '');
  return trimmed.endsWith(')') && !trimmed.includes('(') ? trimmed.slice(0, -1) : trimmed;
}

/**
 * Splits a body into plain text and the http(s) addresses in it, in order; no other scheme is
 * ever a link. Text parts may be empty.
 *
 * @example
 * splitLinks('See https://example.com/docs.');
 * // [{ text: 'See ' }, { text: 'https://example.com/docs', link: true }, { text: '.' }]
 */
export function splitLinks(body: string): { text: string; link?: true }[] {
  const parts: { text: string; link?: true }[] = [];
  let rest = 0;
  for (const match of body.matchAll(urlPattern)) {
    const url = trimUrl(match[0]);
    parts.push({ text: body.slice(rest, match.index) }, { text: url, link: true });
    rest = match.index + url.length;
  }
  parts.push({ text: body.slice(rest) });
  return parts;
}
