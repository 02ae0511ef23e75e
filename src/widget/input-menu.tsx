/**
 * The composer's "more" menu (a menu button): Enter, Space or the arrow keys open it, the arrow
 * keys move between items, Escape closes it and returns focus to its button.
 */
import type { JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useController } from './controller-context.js';

export interface MenuItem {
  label: string;
  onSelect: () => void;
}

/**
 * A "+" button with a popup menu of `items`.
 * @example
 * <InputMenu items={[{ label: 'Call me', onSelect: () => setCallMe(true) }]} />
 */
export function InputMenu({ items }: { items: MenuItem[] }): JSX.Element {
  const chat = useController();
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuItems = () => [...menuRef.current!.querySelectorAll('button')];

  useLayoutEffect(() => {
    if (open) menuItems()[0]?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    toggleRef.current!.focus();
  };
  const onMenuKeyDown = (event: KeyboardEvent) => {
    const buttons = menuItems();
    const index = buttons.indexOf(event.target as HTMLButtonElement);
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    // Tab leaves the menu the usual way (the focusout below closes it); keys handled here are
    // marked, so Escape closes only the menu and not the whole chat box.
    if (step) buttons[(index + step + buttons.length) % buttons.length]!.focus();
    else if (event.key === 'Escape') close();
    else return;
    event.preventDefault();
  };

  return (
    <div
      class="menu-wrap"
      onFocusOut={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        type="button"
        class="icon"
        ref={toggleRef}
        aria-label={chat.t('menu.label')}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        +
      </button>
      {open && (
        <div class="menu" role="menu" ref={menuRef} onKeyDown={onMenuKeyDown}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
