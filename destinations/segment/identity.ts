/** What a Segment identify tells Parley about the visitor: the email, the name and the user ID. */
import type { SegmentEvent } from '@segment/analytics-next';
import type { VisitorIdentity } from 'parley';

/** Loose on purpose: the widget checks the address itself; this only tells an email from other IDs. */
const looksLikeEmail = (value: unknown): value is string =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/** Parley's limits for a name and a user ID. */
const maxName = 120;
const maxUserId = 128;

/**
 * A trait by its name in any casing or spelling (`email`, `Email`, `EMAIL`; `firstName`,
 * `first_name`), the exact lowercase name first: analytics-next merges the traits of successive
 * identify calls, so `email` and `Email` may both be there.
 */
function trait(traits: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(traits, name)) return traits[name];
  const key = Object.keys(traits).find((candidate) => candidate.toLowerCase().replace(/[\s_-]/g, '') === name);
  return key === undefined ? undefined : traits[key];
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * The identity for `Parley('identify', …)`: the email from the traits (any casing) or else from an
 * email-looking userId, with the name (`name`, else first and last name) and the userId. Without
 * an email there is nothing to tell: undefined.
 *
 * @example
 * identityOf({ type: 'identify', userId: 'u1', traits: { Email: 'ada@example.com', firstName: 'Ada' } });
 * // { email: 'ada@example.com', name: 'Ada', userId: 'u1' }
 */
export function identityOf(event: SegmentEvent): VisitorIdentity | undefined {
  const traits = (event.traits ?? {}) as Record<string, unknown>;
  const fromTraits = text(trait(traits, 'email'));
  const userId = text(event.userId);
  const email = looksLikeEmail(fromTraits) ? fromTraits : looksLikeEmail(userId) ? userId : undefined;
  if (!email) return undefined;
  const name =
    text(trait(traits, 'name')) ??
    text([text(trait(traits, 'firstname')), text(trait(traits, 'lastname'))].filter(Boolean).join(' '));
  return {
    email,
    ...(name ? { name: name.slice(0, maxName) } : {}),
    ...(userId && userId.length <= maxUserId ? { userId } : {}),
  };
}
