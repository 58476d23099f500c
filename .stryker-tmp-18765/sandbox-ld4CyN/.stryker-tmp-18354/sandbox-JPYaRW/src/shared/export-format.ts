// @ts-nocheck
// 
// The JSON export: every schedule of this machine and the settings (never a token), with a
// format version, so another machine can import it exactly: ids, timestamps and every
// field come back as they were, and this machine's id is written as `local`.
import { z } from 'zod';
import type { Schedule } from './types';
import { formatTimestamp } from './time';
import type { AppSettings } from './settings';
import { batchItemSchema, type BatchItemInput } from './batch';
import { settingsPatchSchema, type SettingsPatchInput } from './settings';
import { ApiError } from './errors';
import { issuesToFields, POLICY_DEFAULTS } from './schemas';
import { policyFields, type PolicyFields } from './policy-fields';
import { normalizeNotify } from './notify-fields';

export const EXPORT_FORMAT = 'cmdop-scheduler';
/**
 * 2: schedules carry the run policy fields (retries, random delay, shell…).
 * 3: `notify` may carry alerts (webhook_url, webhook_format, ping_url, allow_http); only what
 * is set is written, so a schedule without alerts reads as it did in version 2.
 */
export const EXPORT_VERSION = 3;

/** The settings worth moving: preferences, and the Cmdop URL (its token stays behind). */
export interface ExportedSettings {
  notifications: { muted: boolean };
  history: { max_runs: number; max_age_days: number };
  paused: boolean;
  paused_until: string | null;
  local_api: { enabled: boolean; port: number };
  remote: { url: string | null };
}

export type ExportedSchedule = Omit<
  Schedule,
  'next_run' | 'last_run' | 'running' | 'error' | 'next_retry_at' | 'retry_command_id'
> & {
  machine_id: 'local';
};

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: number;
  exported_at: string;
  settings: ExportedSettings | null;
  schedules: ExportedSchedule[];
}

/** Field order in the file: the API's, so a diff of two exports reads naturally. */
export function exportSchedule(s: Schedule): ExportedSchedule {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    machine_id: 'local',
    command: s.command,
    cron: s.cron,
    enabled: s.enabled,
    timezone: s.timezone,
    timeout: s.timeout,
    notify: normalizeNotify(s.notify),
    cwd: s.cwd,
    env: { ...s.env },
    overlap: s.overlap,
    catch_up: s.catch_up,
    // A Cmdop schedule without our policy fields exports with their defaults.
    ...policyFields({ ...POLICY_DEFAULTS, ...definedOnly(s) }),
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

/** The policy fields a schedule has (a remote one may lack them). */
function definedOnly(s: Partial<PolicyFields>): Partial<PolicyFields> {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
}

export function exportSettings(s: AppSettings): ExportedSettings {
  return {
    notifications: { muted: s.notifications.muted },
    history: { max_runs: s.history.max_runs, max_age_days: s.history.max_age_days },
    paused: s.paused,
    paused_until: s.paused_until,
    local_api: { enabled: s.local_api.enabled, port: s.local_api.port },
    remote: { url: s.remote.url },
  };
}

export function buildExport(
  schedules: Schedule[],
  settings: AppSettings | null,
  now: number,
): ExportFile {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: formatTimestamp(now),
    settings: settings ? exportSettings(settings) : null,
    // By wire creation time (whole seconds), then id: the order an importer lists them in,
    // so an export of the imported copy comes out the same.
    schedules: schedules
      .map(exportSchedule)
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)),
  };
}

const exportFileSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT, { error: `must be '${EXPORT_FORMAT}'` }),
  version: z
    .number()
    .int()
    .min(1)
    .max(EXPORT_VERSION, {
      error: `must be at most ${EXPORT_VERSION}: the file was written by a newer Cmdop Scheduler`,
    }),
  exported_at: z.string().optional(),
  settings: z.unknown().optional(),
  schedules: z.array(z.unknown()),
});

export interface ParsedExport {
  items: BatchItemInput[];
  /** What to PATCH into the settings, or null when the file has none. */
  settings: SettingsPatchInput | null;
}

/**
 * Reads an export file, checking every schedule with the batch's own schema, so a bad file
 * is refused before anything is sent, with each bad field named (`schedules.3.cron`).
 */
export function parseExport(value: unknown): ParsedExport {
  const head = exportFileSchema.safeParse(value, { reportInput: true });
  if (!head.success) throw ApiError.invalid(issuesToFields(head.error.issues), 'export file');
  const fields: Record<string, string> = {};
  const items: BatchItemInput[] = [];
  head.data.schedules.forEach((raw, i) => {
    const parsed = batchItemSchema.safeParse(raw, { reportInput: true });
    if (parsed.success) items.push(raw as BatchItemInput);
    else Object.assign(fields, issuesToFields(parsed.error.issues, `schedules.${i}`));
  });
  let settings: SettingsPatchInput | null = null;
  if (head.data.settings !== undefined && head.data.settings !== null) {
    const parsed = settingsPatchSchema.safeParse(head.data.settings, { reportInput: true });
    if (parsed.success) settings = head.data.settings as SettingsPatchInput;
    else Object.assign(fields, issuesToFields(parsed.error.issues, 'settings'));
  }
  if (Object.keys(fields).length > 0) throw ApiError.invalid(fields, 'export file');
  return { items, settings };
}

/** Whether a parsed JSON value looks like our export rather than some other JSON. */
export function isExportFile(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === EXPORT_FORMAT
  );
}
