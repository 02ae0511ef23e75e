/** The agent's name with "Log out" and "Log out everywhere". */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Hub } from '../state/hub.js';
import { useStore } from './contexts.js';

/**
 * A disclosure button that shows the two ways to log out.
 *
 * @example
 * <AccountMenu hub={hub} />
 */
export function AccountMenu({ hub }: { hub: Hub }): JSX.Element {
  const store = useStore();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const logout = async (everywhere: boolean) => {
    setBusy(true);
    await hub.logout({ everywhere });
  };
  return (
    <div
      class="account"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) setOpen(false);
      }}
    >
      <button
        type="button"
        class="button button-quiet"
        aria-expanded={open}
        aria-controls="account-actions"
        onClick={() => setOpen(!open)}
      >
        {store.self.name}
      </button>
      {open && (
        <ul id="account-actions" class="account-actions">
          <li>
            <button type="button" class="button" disabled={busy} onClick={() => void logout(false)}>
              Log out
            </button>
          </li>
          <li>
            <button type="button" class="button" disabled={busy} onClick={() => void logout(true)}>
              Log out everywhere
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}
