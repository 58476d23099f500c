// @ts-nocheck
// 
// Each page remembers where it was scrolled to, so Back from a run lands on the same row of
// the history, and a page re-opened by a link does not jump to the top.
import { useEffect, useRef, type RefObject } from 'react';

const positions = new Map<string, number>();
const remembered = new Map<string, unknown>();

/**
 * Restores the scroll position saved under `key` once `ready` (the content is tall enough),
 * and saves it as the user scrolls.
 */
export function useScrollMemory(
  key: string,
  ref: RefObject<HTMLElement | null>,
  ready: boolean,
): void {
  const restored = useRef<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !ready || restored.current === key) return;
    restored.current = key;
    const top = positions.get(key);
    if (top !== undefined) el.scrollTop = top;
  }, [key, ref, ready]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const save = () => positions.set(key, el.scrollTop);
    el.addEventListener('scroll', save, { passive: true });
    return () => el.removeEventListener('scroll', save);
  }, [key, ref]);
}

/** A value kept for the session under `key` (filters of a history, say), like useState. */
export function recall<T>(key: string, fallback: T): T {
  return remembered.has(key) ? (remembered.get(key) as T) : fallback;
}

export function remember<T>(key: string, value: T): void {
  remembered.set(key, value);
}

/** Forgets every position and value (a new session; tests start from a clean page). */
export function forgetAll(): void {
  positions.clear();
  remembered.clear();
}
