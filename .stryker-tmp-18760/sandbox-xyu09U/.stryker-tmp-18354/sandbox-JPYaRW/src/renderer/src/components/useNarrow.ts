// @ts-nocheck
// 
// Whether the window is narrow (the tray's popover, a phone-sized browser window): below
// this width the list turns into cards and tables drop their least needed columns.
import { useSyncExternalStore } from 'react';

export const NARROW_QUERY = '(max-width: 599px)';

function query(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(NARROW_QUERY) : null;
}

export function useNarrow(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const q = query();
      q?.addEventListener('change', onChange);
      return () => q?.removeEventListener('change', onChange);
    },
    () => query()?.matches ?? false,
  );
}
