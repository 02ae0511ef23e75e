/** The connection state, always in the same live region so a screen reader hears each change. */
import type { JSX } from 'preact';
import type { ClientState } from '../../transport/index.js';
import { useStore } from './contexts.js';

const texts: Record<ClientState, string> = {
  idle: 'Connecting…',
  connecting: 'Connecting…',
  open: '',
  reconnecting: 'Reconnecting… Replies you send now go out once the connection is back.',
  closed: 'Disconnected.',
};

/**
 * Shows "Reconnecting…" while the link is down; empty while connected.
 *
 * @example
 * <ConnectionBanner />
 */
export function ConnectionBanner(): JSX.Element {
  const state = useStore().connection.value;
  return (
    <div class={`connection connection-${state}`} role="status">
      {texts[state]}
    </div>
  );
}
