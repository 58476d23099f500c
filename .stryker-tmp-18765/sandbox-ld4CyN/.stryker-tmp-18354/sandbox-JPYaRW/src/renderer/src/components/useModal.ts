// @ts-nocheck
// 
// What every modal dialog does the same way: focus moves in when it opens and back to what
// opened it when it closes; Tab and Shift+Tab stay inside; Escape closes the topmost dialog
// only, and not when a widget inside used it first (a list of suggestions, a menu), which it
// says by calling preventDefault. Listening on the document keeps Escape working wherever
// focus ended up (after a failed save disabled the button that had it, say).
import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

/** Elements Tab can reach inside `root`, in order. */
export function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) =>
      !(el as HTMLInputElement).disabled &&
      el.tabIndex >= 0 &&
      !el.closest('[hidden], [inert]') &&
      (el as HTMLInputElement).type !== 'hidden',
  );
}

/** Open dialogs, innermost last: only it answers keys. */
const stack: RefObject<HTMLElement | null>[] = [];

export interface ModalOptions {
  onEscape(): void;
  /** Where focus goes first; default the first focusable element. */
  initialFocus?: () => HTMLElement | null;
}

export function useModal(ref: RefObject<HTMLElement | null>, options: ModalOptions): void {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stack.push(ref);
    const root = ref.current;
    if (root) {
      const first = latest.current.initialFocus?.() ?? focusables(root)[0] ?? root;
      first.focus();
    }

    const onKey = (e: KeyboardEvent) => {
      const el = ref.current;
      if (stack[stack.length - 1] !== ref || !el) return;
      if (e.key === 'Escape') {
        if (e.defaultPrevented) return;
        e.preventDefault();
        latest.current.onEscape();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = focusables(el);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        e.preventDefault();
        return;
      }
      const active = document.activeElement;
      const inside = active instanceof Node && el.contains(active);
      if (e.shiftKey && (active === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
    };
    // Focus that lands outside (a click on the page behind, a script) comes back in.
    const onFocusIn = (e: FocusEvent) => {
      const el = ref.current;
      if (stack[stack.length - 1] !== ref || !el) return;
      if (e.target instanceof Node && !el.contains(e.target)) {
        (focusables(el)[0] ?? el).focus();
      }
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocusIn);
      stack.splice(stack.indexOf(ref), 1);
      // Back to what opened it. When that is gone (the deleted row), to the page itself,
      // unless focus has already found a home (a dialog underneath restored its own).
      if (opener?.isConnected) opener.focus();
      else if (!document.activeElement || document.activeElement === document.body) {
        document.querySelector<HTMLElement>('#main-content')?.focus({ preventScroll: true });
      }
    };
  }, [ref]);
}
