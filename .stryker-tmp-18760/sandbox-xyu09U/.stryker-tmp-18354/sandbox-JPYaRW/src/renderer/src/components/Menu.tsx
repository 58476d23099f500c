// @ts-nocheck
// 
// A button that opens a short menu of actions (the WAI-ARIA menu button pattern): arrows
// move, Enter or Space picks, Escape closes the menu only and returns focus to its button,
// Tab or a click elsewhere closes it.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import './menu.css';

export interface MenuItem {
  label: string;
  onSelect(): void;
  danger?: boolean;
}

export interface MenuProps {
  /** The button's visible text. */
  label: string;
  /** Extra description for the button, e.g. the id of the schedule's name. */
  describedBy?: string;
  items: readonly MenuItem[];
}

export function Menu({ label, describedBy, items }: MenuProps) {
  const [open, setOpen] = useState(false);
  // Fixed to the viewport: a menu inside a scrolling list must not be clipped by it.
  const [pos, setPos] = useState<{ top?: number; bottom?: number; right: number }>({ right: 0 });
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const menuId = useId();

  const itemsEls = () => [
    ...(listRef.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []),
  ];

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const toggle = (next: boolean) => {
    const rect = buttonRef.current?.getBoundingClientRect();
    if (next && rect) {
      const right = Math.max(4, window.innerWidth - rect.right);
      // Opens upwards when the button sits low in the window.
      setPos(
        rect.bottom + 160 > window.innerHeight
          ? { bottom: window.innerHeight - rect.top + 4, right }
          : { top: rect.bottom + 4, right },
      );
    }
    setOpen(next);
  };

  useEffect(() => {
    if (!open) return;
    itemsEls()[0]?.focus({ preventScroll: true });
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!listRef.current?.contains(target) && !buttonRef.current?.contains(target)) {
        setOpen(false);
      }
    };
    // The list under the button scrolled: the menu would float away from it.
    const onScroll = (e: Event) => {
      if (e.target instanceof Node && e.target.contains(buttonRef.current)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('scroll', onScroll, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('scroll', onScroll, true);
    };
  }, [open]);

  const onMenuKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const els = itemsEls();
    const at = els.indexOf(document.activeElement as HTMLElement);
    const move = (i: number) => els[(i + els.length) % els.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(at + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(at - 1);
        break;
      case 'Home':
        e.preventDefault();
        move(0);
        break;
      case 'End':
        e.preventDefault();
        move(els.length - 1);
        break;
      case 'Escape':
        // Used here: a dialog around the menu must not close too.
        e.preventDefault();
        e.stopPropagation();
        close(true);
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  const pick = (item: MenuItem) => {
    // Focus goes back to the button first, so a dialog the item opens returns to it.
    close(true);
    item.onSelect();
  };

  return (
    <div className="menu">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-describedby={describedBy}
        onClick={() => toggle(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            toggle(true);
          }
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul
          ref={listRef}
          id={menuId}
          role="menu"
          aria-label={label}
          className="menu-list popup"
          style={pos}
          onKeyDown={onMenuKey}
        >
          {items.map((item) => (
            <li
              key={item.label}
              role="menuitem"
              tabIndex={-1}
              className={item.danger ? 'danger' : undefined}
              onClick={() => pick(item)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  pick(item);
                }
              }}
            >
              {item.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
