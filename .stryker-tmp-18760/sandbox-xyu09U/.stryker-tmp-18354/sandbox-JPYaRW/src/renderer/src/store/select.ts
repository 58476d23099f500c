// @ts-nocheck
// 
// Derived views of the store: what the list shows, in which order, and names for ids.
import { isFailed } from '../../../shared/run-stats';
import type { Machine, Schedule } from '../../../shared/types';
import type { AppState, Filters } from './app';

/** "Laptop (this machine)": the first machine the API lists is this one. */
export function machineName(machines: readonly Machine[], id: string): string {
  const m = machines.find((x) => x.id === id);
  if (!m) return id;
  return m === machines[0] ? `${m.name} (this machine)` : m.name;
}

export function isFiltered(filters: Filters): boolean {
  return (
    filters.search.trim() !== '' ||
    filters.machineId !== 'all' ||
    filters.enabled !== 'all' ||
    filters.lastRun !== 'all'
  );
}

// One collator for every comparison: localeCompare with options builds one per call.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const byName = (a: Schedule, b: Schedule) =>
  collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Timestamps in one format compare as text. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Soonest first; schedules that never run again go last. */
const byNext = (a: Schedule, b: Schedule) =>
  compareText(a.next_run ?? '\uffff', b.next_run ?? '\uffff') || byName(a, b);

/** Most recent first; schedules that never ran go last. */
const byLast = (a: Schedule, b: Schedule) =>
  compareText(b.last_run?.at ?? '', a.last_run?.at ?? '') || byName(a, b);

const SORTS = { name: byName, next: byNext, last: byLast } as const;

function matches(s: Schedule, filters: Filters, needle: string): boolean {
  return (
    (filters.machineId === 'all' || s.machine_id === filters.machineId) &&
    (filters.enabled === 'all' || s.enabled === (filters.enabled === 'enabled')) &&
    (filters.lastRun === 'all' || (s.last_run !== null && isFailed(s.last_run.status))) &&
    (needle === '' ||
      s.name.toLowerCase().includes(needle) ||
      s.command.toLowerCase().includes(needle))
  );
}

export function visibleSchedules(state: Pick<AppState, 'schedules' | 'filters'>): Schedule[] {
  const { byId, order } = state.schedules;
  const needle = state.filters.search.trim().toLowerCase();
  const list: Schedule[] = [];
  for (const id of order) {
    const s = byId[id];
    if (s && matches(s, state.filters, needle)) list.push(s);
  }
  return list.sort(SORTS[state.filters.sort]);
}

let memo: { key: [unknown, unknown]; ids: string[] } | null = null;

/**
 * The ids the list shows. The same array comes back while the answer is the same, so an
 * event that changes one schedule re-renders its row, not the list.
 */
export function visibleIds(state: Pick<AppState, 'schedules' | 'filters'>): string[] {
  if (memo && memo.key[0] === state.schedules.byId && memo.key[1] === state.filters) {
    return memo.ids;
  }
  const ids = visibleSchedules(state).map((s) => s.id);
  const same =
    memo !== null && memo.ids.length === ids.length && memo.ids.every((id, i) => id === ids[i]);
  memo = { key: [state.schedules.byId, state.filters], ids: same && memo ? memo.ids : ids };
  return memo.ids;
}

export function scheduleList(
  byId: Readonly<Record<string, Schedule>>,
  order: readonly string[],
): Schedule[] {
  return order.map((id) => byId[id]).filter((s): s is Schedule => s !== undefined);
}
