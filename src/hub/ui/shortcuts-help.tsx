/** The list of keyboard shortcuts, in a dialog. */
import type { JSX } from 'preact';
import { Dialog } from './dialog.js';
import { shortcutList } from './shortcuts.js';

/**
 * Shows every shortcut with its keys.
 *
 * @example
 * <ShortcutsHelp onClose={() => (ui.help.value = false)} />
 */
export function ShortcutsHelp({ onClose }: { onClose: () => void }): JSX.Element {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <dl class="shortcuts">
        {shortcutList.map((shortcut) => (
          <div key={shortcut.does} class="shortcut">
            <dt>
              {shortcut.keys.map((keys, index) => (
                <span key={keys}>
                  {index > 0 && ' or '}
                  <kbd>{keys}</kbd>
                </span>
              ))}
            </dt>
            <dd>{shortcut.does}</dd>
          </div>
        ))}
      </dl>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
