/** Whether a visitor's identity was proven by the site's backend. */
import type { JSX } from 'preact';

/**
 * "Verified" for a proven identity; "Not verified" too when `showUnverified` is set.
 *
 * @example
 * <VerifiedBadge verified={visitor.verified} />
 */
export function VerifiedBadge({
  verified,
  showUnverified = false,
}: {
  verified: boolean;
  showUnverified?: boolean;
}): JSX.Element | null {
  if (verified) return <span class="tag tag-verified">Verified</span>;
  return showUnverified ? <span class="tag">Not verified</span> : null;
}
