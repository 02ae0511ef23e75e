/** Asks for desktop notification permission from a click, as browsers require; silent where unsupported. */
import type { JSX } from 'preact';
import { useContext } from 'preact/hooks';
import { AlertsContext } from './contexts.js';

/**
 * "Enable notifications" until the agent decides; a short note when they are blocked.
 *
 * @example
 * <NotificationsButton />
 */
export function NotificationsButton(): JSX.Element | null {
  const alerts = useContext(AlertsContext);
  const permission = alerts?.permission.value ?? 'unsupported';
  if (permission === 'default') {
    return (
      <button type="button" class="button button-quiet" onClick={() => void alerts?.requestPermission()}>
        Enable notifications
      </button>
    );
  }
  if (permission === 'denied') return <span class="hint">Notifications blocked in this browser</span>;
  return null;
}
