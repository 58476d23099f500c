// @ts-nocheck
// 
// One clock for the whole UI, ticking on each second boundary. Components read it through a
// selector that returns the text they show ("in 5 s"), so they re-render only when that text
// changes: relative times are never more than a second behind, and a thousand rows do not
// re-render every second.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export const clock = createStore<{ now: number }>(() => ({ now: Date.now() }));

let timer: ReturnType<typeof setTimeout> | null = null;
let users = 0;

function tick() {
  const now = Date.now();
  clock.setState({ now });
  timer = setTimeout(tick, 1000 - (now % 1000) + 5);
}

/** Starts ticking while anyone listens; returns the function that stops listening. */
export function runClock(): () => void {
  users += 1;
  if (timer === null) tick();
  return () => {
    users -= 1;
    if (users === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

/** What `format` makes of the current time; re-renders when that changes. */
export function useClock<T>(format: (now: number) => T): T {
  return useStore(clock, (s) => format(s.now));
}
