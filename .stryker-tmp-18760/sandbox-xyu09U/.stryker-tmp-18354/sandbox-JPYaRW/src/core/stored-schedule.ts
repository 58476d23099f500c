// @ts-nocheck
// 
// Reading one stored schedule. Stored data is held to the same rules as a request (a hand
// edit, another version's file, a parser upgrade can all break one); an entry that breaks
// them is kept — out of the plan, with the reason shown on it — so the user can fix it in
// the editor, and the others run. Only an entry that is not a schedule at all is dropped.
import { z } from 'zod';
import { describeIssues, issuesToFields, storedFieldsSchema } from '../shared/schemas';
import { DEFAULT_NOTIFY, POLICY_DEFAULTS } from '../shared/schemas';
import { normalizeNotify } from '../shared/notify-fields';
import type { Schedule } from '../shared/types';

/**
 * A schedule as kept on disk: what the user wrote plus timestamps. The machine is always
 * this one, and next/last run and running are derived, so none of them is stored.
 * created_at/updated_at keep milliseconds, so creation order holds within one second.
 */
export type StoredSchedule = Omit<
  Schedule,
  | 'machine_id'
  | 'next_run'
  | 'last_run'
  | 'running'
  | 'error'
  | 'next_retry_at'
  | 'retry_command_id'
>;

const identitySchema = z.object({
  id: z.string().regex(/^sched_[0-9A-Za-z]+$/),
  created_at: z.string(),
  updated_at: z.string(),
});

export type StoredEntry =
  | { kind: 'valid'; schedule: StoredSchedule }
  /**
   * Kept with stand-in values; `raw` is what is written back until the user fixes it, and
   * `fields` names each broken field with its rule.
   */
  | {
      kind: 'broken';
      schedule: StoredSchedule;
      error: string;
      fields: Record<string, string>;
      raw: unknown;
    }
  | { kind: 'unreadable' };

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);

/** Typed stand-ins for what could not be read, so the entry can be listed and edited. */
function bestEffort(
  r: Record<string, unknown>,
  id: string,
): Omit<StoredSchedule, 'id' | 'created_at' | 'updated_at'> {
  const notify = (typeof r.notify === 'object' && r.notify !== null ? r.notify : {}) as Record<
    string,
    unknown
  >;
  const env =
    typeof r.env === 'object' && r.env !== null && !Array.isArray(r.env)
      ? Object.fromEntries(Object.entries(r.env).filter(([, v]) => typeof v === 'string'))
      : {};
  return {
    name: str(r.name, id),
    description: str(r.description, ''),
    command: str(r.command, ''),
    cron: str(r.cron, ''),
    enabled: bool(r.enabled, false),
    timezone: str(r.timezone, 'UTC'),
    timeout: typeof r.timeout === 'number' ? r.timeout : null,
    // A broken schedule never fires: its alert URLs are kept only for the editor to show.
    notify: normalizeNotify({
      on_success: bool(notify.on_success, DEFAULT_NOTIFY.on_success),
      on_failure: bool(notify.on_failure, DEFAULT_NOTIFY.on_failure),
      webhook_url: typeof notify.webhook_url === 'string' ? notify.webhook_url : null,
      ping_url: typeof notify.ping_url === 'string' ? notify.ping_url : null,
    }),
    cwd: typeof r.cwd === 'string' ? r.cwd : null,
    env: env as Record<string, string>,
    overlap: r.overlap === 'allow' ? 'allow' : 'skip',
    catch_up: bool(r.catch_up, false),
    ...policyStandIns(r),
  };
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);

function policyStandIns(r: Record<string, unknown>) {
  const d = POLICY_DEFAULTS;
  return {
    retries: num(r.retries, d.retries),
    retry_delay: num(r.retry_delay, d.retry_delay),
    retry_backoff: num(r.retry_backoff, d.retry_backoff),
    random_delay: num(r.random_delay, d.random_delay),
    shell: r.shell === 'login' ? ('login' as const) : d.shell,
    env_file: typeof r.env_file === 'string' ? r.env_file : d.env_file,
    paused_until: typeof r.paused_until === 'string' ? r.paused_until : d.paused_until,
    run_on_battery: bool(r.run_on_battery, d.run_on_battery),
  };
}

export function readStoredEntry(key: string, value: unknown): StoredEntry {
  const identity = identitySchema.safeParse(value);
  if (!identity.success || identity.data.id !== key) return { kind: 'unreadable' };
  const { id, created_at, updated_at } = identity.data;
  const fields = storedFieldsSchema.safeParse(value, { reportInput: true });
  if (fields.success) {
    // zod's output is already a fresh object: add to it rather than copy 10,000 of them again.
    const schedule = Object.assign(fields.data, {
      id,
      created_at,
      updated_at,
      notify: normalizeNotify(fields.data.notify),
    });
    return { kind: 'valid', schedule };
  }
  const schedule = {
    id,
    ...bestEffort(value as Record<string, unknown>, id),
    created_at,
    updated_at,
  };
  return {
    kind: 'broken',
    schedule,
    error: describeIssues(fields.error.issues),
    fields: issuesToFields(fields.error.issues),
    raw: value,
  };
}

/**
 * The bad fields of a whole schedule, or null: the check an update must pass, since a patch
 * may leave a broken stored field as it was.
 */
export function storedScheduleFields(s: StoredSchedule): Record<string, string> | null {
  const fields = storedFieldsSchema.safeParse(s, { reportInput: true });
  return fields.success ? null : issuesToFields(fields.error.issues);
}
