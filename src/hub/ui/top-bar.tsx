/** The console's header: name, connection state, status, notifications, shortcuts and the account menu. */
import type { JSX } from 'preact';
import type { Hub } from '../state/hub.js';
import { AccountMenu } from './account-menu.js';
import { ConnectionBanner } from './connection-banner.js';
import { useConsoleUi } from './contexts.js';
import { NotificationsButton } from './notifications-button.js';
import { StatusSwitch } from './status-switch.js';

/**
 * The banner landmark at the top of the console.
 *
 * @example
 * <TopBar hub={hub} />
 */
export function TopBar({ hub }: { hub: Hub }): JSX.Element {
  const ui = useConsoleUi();
  return (
    <header class="top-bar">
      <h1 class="brand">Parley Hub</h1>
      <ConnectionBanner />
      <div class="top-bar-tools">
        <StatusSwitch />
        <NotificationsButton />
        <button type="button" class="button button-quiet" onClick={() => (ui.help.value = true)}>
          Shortcuts <kbd>?</kbd>
        </button>
        <AccountMenu hub={hub} />
      </div>
    </header>
  );
}
