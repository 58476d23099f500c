// What an import will do before it does it: which schedules are new and which are already
// there (the same cron and command, or the same id), so importing twice never doubles
// anything. Used by the CLI's import and --dry-run and by the UI's import preview.
import type { BatchItemInput } from './batch';

export interface PlannedItem {
  /** Where it came from: a crontab line number, or an index in an export file. */
  source: string;
  item: BatchItemInput;
}

export interface Duplicate extends PlannedItem {
  /** The schedule already present (id), or the earlier item of the same import (source). */
  of: string;
}

export interface ImportPlan {
  create: PlannedItem[];
  duplicates: Duplicate[];
}

interface Existing {
  id: string;
  name: string;
  cron: string;
  command: string;
}

/** cron and command as a key: fields re-spaced, trailing blanks ignored. */
export function duplicateKey(cron: string, command: string): string {
  return `${cron.trim().split(/\s+/).join(' ')}\n${command.trim()}`;
}

export function planImport(items: PlannedItem[], existing: Existing[]): ImportPlan {
  const byKey = new Map<string, string>();
  const ids = new Set<string>();
  for (const s of existing) {
    byKey.set(duplicateKey(s.cron, s.command), `${s.id} (${s.name})`);
    ids.add(s.id);
  }
  const plan: ImportPlan = { create: [], duplicates: [] };
  for (const planned of items) {
    const { item } = planned;
    const key = duplicateKey(String(item.cron ?? ''), String(item.command ?? ''));
    const id = typeof item.id === 'string' ? item.id : undefined;
    // Stryker disable next-line ConditionalExpression: ids never holds undefined
    const of = (id !== undefined && ids.has(id) ? id : undefined) ?? byKey.get(key);
    if (of !== undefined) {
      plan.duplicates.push({ ...planned, of });
      continue;
    }
    byKey.set(key, planned.source);
    // Stryker disable next-line ConditionalExpression: an undefined id is never looked up
    if (id !== undefined) ids.add(id);
    plan.create.push(planned);
  }
  return plan;
}
