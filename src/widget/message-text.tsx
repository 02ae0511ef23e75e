/**
 * A message body as text, with http(s) URLs turned into safe links. Preact sets text as text
 * nodes, so markup in a message stays visible characters; no other scheme is ever linked.
 */
import type { JSX } from 'preact';
// The file, not the protocol's index: so the chat box chunk shares no module with the engine's.
import { splitLinks } from '../protocol/links.js';

/**
 * Renders a message body's text and links.
 * @example
 * <MessageText text="See https://example.com/docs." />
 */
export function MessageText({ text }: { text: string }): JSX.Element {
  return (
    <>
      {splitLinks(text).map((part) =>
        part.link ? (
          <a href={part.text} rel="noopener noreferrer nofollow" target="_blank">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
