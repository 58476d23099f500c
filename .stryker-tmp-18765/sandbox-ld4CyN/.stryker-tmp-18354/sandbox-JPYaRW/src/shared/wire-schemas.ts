// @ts-nocheck
// 
// What the API answers, as zod schemas: the OpenAPI document is generated from these and
// from the input schemas (schemas.ts), and tests validate live answers against it. Writable
// schedule fields come from the create schema itself, so a field added there is documented
// here too; the compile-time checks at the bottom fail when types.ts and these part ways.
import { z } from 'zod';
import type { NotifyTestResult } from './alerts-api';
import { BACKUP_KINDS, type BackupInfo, type RestoreResult } from './backups';
import type { Command, CommandStarted } from './cmdop-command';
import type { ErrorBody } from './errors';
import { ERROR_STATUS } from './errors';
import type { FiresMeta, FireTime } from './fires-api';
import {
  DECISION_KINDS,
  DECISION_REASONS,
  type Decision,
  type DecisionAt,
  type LastDecision,
} from './decisions-api';
import type { Identity } from './identity';
import { COMMAND_STATUSES, MACHINE_STATUSES, scheduleCreateSchema } from './schemas';
import { storedSettingsSchema, type AppSettings, type RemoteTestResult } from './settings';
import {
  RUN_STATUSES,
  type ListMeta,
  type Machine,
  type MachineStatus,
  type Run,
  type RunStarted,
  type Schedule,
} from './types';

const timestamp = z.string();
const runStatus = z.enum(RUN_STATUSES);
const trigger = z.enum(['schedule', 'manual', 'catch_up']);

export const notifyWire = z.object({
  on_success: z.boolean(),
  on_failure: z.boolean(),
  webhook_url: z.string().nullable().optional(),
  webhook_format: z.enum(['json', 'slack', 'discord']).optional(),
  ping_url: z.string().nullable().optional(),
  allow_http: z.boolean().optional(),
});

export const lastRunWire = z.object({
  at: timestamp,
  exit_code: z.number().int().nullable(),
  duration: z.number().int().nullable(),
  status: runStatus,
});

export const runSummaryWire = z.object({
  at: timestamp,
  status: runStatus,
  duration: z.number().int().nullable(),
});

export const scheduleStatsWire = z.object({
  runs_24h: z.number().int(),
  failures_24h: z.number().int(),
  last_failure_at: timestamp.nullable(),
  recent: z.array(runSummaryWire),
});

export const decisionWire = z.object({
  id: z.string(),
  schedule_id: z.string(),
  kind: z.enum(DECISION_KINDS),
  ran: z.boolean(),
  scheduled_for: timestamp,
  last_scheduled_for: timestamp,
  count: z.number().int(),
  decided_at: timestamp,
  reason: z.enum(DECISION_REASONS).nullable(),
  span_from: timestamp.nullable(),
  span_to: timestamp.nullable(),
  run_id: z.string().nullable(),
  command_id: z.string().nullable(),
  attempt: z.number().int().nullable(),
  attempts: z.number().int().nullable(),
  asked: z.string().nullable(),
  used: z.string().nullable(),
  catch_up: z.boolean(),
  message: z.string(),
});

export const lastDecisionWire = decisionWire.pick({
  kind: true,
  ran: true,
  scheduled_for: true,
  last_scheduled_for: true,
  reason: true,
  count: true,
  message: true,
});

export const decisionAtWire = z.object({
  schedule_id: z.string(),
  timezone: z.string(),
  time: timestamp,
  planned: z.boolean(),
  fire: timestamp.nullable(),
  nearest: z.array(timestamp),
  decision: decisionWire.nullable(),
  related: z.array(decisionWire),
  sentence: z.string(),
});

const { shape: writable } = scheduleCreateSchema;

export const scheduleWire = z.object({
  id: z.string(),
  ...writable,
  // What the server answers is the stored value, always present: no input defaults here.
  description: z.string(),
  machine_id: z.string(),
  timezone: z.string(),
  notify: notifyWire,
  next_run: timestamp.nullable(),
  last_run: lastRunWire.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  next_retry_at: timestamp.nullable().optional(),
  retry_command_id: z.string().nullable().optional(),
  running: z.boolean().optional(),
  error: z.string().optional(),
  stats: scheduleStatsWire.optional(),
  last_decision: lastDecisionWire.optional(),
});

const outputLength = z.object({ stdout: z.number().int(), stderr: z.number().int() });

export const deliveryWire = z.object({
  channel: z.enum(['webhook', 'ping']),
  event: z.string(),
  url: z.string(),
  at: timestamp,
  attempts: z.number().int(),
  ok: z.boolean(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
});

/** What a run and its command both say of how it went and how it was started. */
const runTail = {
  signal: z.string().nullable(),
  truncated: z.boolean(),
  output_length: outputLength.optional(),
  attempt: z.number().int(),
  retry_of: z.string().nullable(),
  shell: z.string().nullable(),
  env_file: z.string().nullable(),
  next_retry_at: timestamp.nullable().optional(),
  deliveries: z.array(deliveryWire).optional(),
  stuck_at: timestamp.optional(),
};

export const runWire = z.object({
  id: z.string(),
  started_at: timestamp,
  finished_at: timestamp.nullable(),
  exit_code: z.number().int().nullable(),
  duration: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  schedule_id: z.string(),
  command_id: z.string(),
  trigger,
  status: runStatus,
  scheduled_for: timestamp.nullable(),
  ...runTail,
  command: z.string().optional(),
});

export const commandWire = z.object({
  id: z.string(),
  status: z.enum(COMMAND_STATUSES),
  machine_id: z.string(),
  command: z.string().nullable(),
  exit_code: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  started_at: timestamp,
  finished_at: timestamp.nullable(),
  duration: z.number().int().nullable(),
  command_id: z.string(),
  run_id: z.string(),
  run_status: runStatus,
  schedule_id: z.string(),
  trigger,
  scheduled_for: timestamp.nullable(),
  ...runTail,
});

export const commandStartedWire = z.object({
  id: z.string(),
  status: z.literal('running'),
  command_id: z.string(),
  run_id: z.string(),
});

export const runStartedWire = z.object({ command_id: z.string(), status: z.literal('running') });

export const machineWire = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(MACHINE_STATUSES),
  os: z.string(),
  arch: z.string(),
  hostname: z.string(),
  ip: z.string().nullable().optional(),
  tags: z.array(z.string()),
  agent_version: z.string().optional(),
  created_at: timestamp,
  last_seen: timestamp,
});

const usage = z.object({
  total: z.number().int(),
  used: z.number().int(),
  free: z.number().int(),
});

export const machineStatusWire = z.object({
  connected: z.boolean(),
  uptime: z.number().int(),
  last_ping: timestamp,
  cpu: z.object({ usage: z.number().min(0).max(100), cores: z.number().int() }),
  memory: usage,
  disk: usage,
});

export const identityWire = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string(),
  plan: z.string(),
  permissions: z.array(z.string()),
  auth: z.enum(['token', 'socket']).optional(),
});

export const listMetaWire = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  warnings: z.array(z.string()).optional(),
  request_id: z.string().optional(),
});

export const oneMetaWire = z.object({
  request_id: z.string(),
  warnings: z.array(z.string()).optional(),
});

export const errorWire = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS]),
    message: z.string(),
    details: z.looseObject({ fields: z.record(z.string(), z.string()).optional() }),
    retry_after: z.number().int().optional(),
  }),
});

export const deletedWire = z.object({ deleted: z.literal(true) });
export const cancelledWire = z.object({ cancelled: z.literal(true) });

const storageProblem = z.object({
  scope: z.enum(['history', 'store', 'state', 'pending', 'deliveries']),
  path: z.string(),
  code: z.string(),
  message: z.string(),
  free_bytes: z.number().int().nullable(),
  since: timestamp,
});

export const appSettingsWire = storedSettingsSchema.omit({ remote: true }).extend({
  remote: z.object({
    url: z.string().nullable(),
    token_set: z.boolean(),
    source: z.enum(['settings', 'cli']),
    connected: z.boolean(),
    token_encrypted: z.boolean(),
    token_unreadable: z.string().nullable(),
  }),
  server: z.object({
    mode: z.enum(['headless', 'tray']),
    url: z.string().nullable(),
    token: z.string().nullable(),
    token_source: z.enum(['env', 'file', 'generated']).nullable(),
  }),
  start_at_login: z.boolean().nullable(),
  storage: z.object({ ok: z.boolean(), problem: storageProblem.nullable() }),
});

export const remoteTestResultWire = z.object({
  ok: z.boolean(),
  message: z.string(),
  machines: z.number().int().optional(),
  kind: z.enum(['cloud', 'self-hosted', 'cmdop-scheduler', 'unknown']).optional(),
  url: z.string().optional(),
});

export const notifyTestResultWire = z.object({
  ok: z.boolean(),
  results: z.array(
    z.object({
      channel: z.enum(['webhook', 'ping']),
      url: z.string(),
      ok: z.boolean(),
      status_code: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
});

export const backupInfoWire = z.object({
  id: z.string(),
  kind: z.enum(BACKUP_KINDS),
  created_at: timestamp,
  size: z.number().int(),
  schedules: z.number().int().nullable(),
});

export const restoreResultWire = z.object({
  restored: backupInfoWire,
  previous: backupInfoWire.nullable(),
  schedules: z.number().int(),
});

export const fireTimeWire = z.object({
  at: timestamp,
  scheduled_for: timestamp,
  local: z.string(),
  utc_offset: z.string(),
  dst: z.enum(['moved', 'repeated']).nullable(),
  moved_from: z.string().nullable(),
  paused: z.boolean(),
});

/** The fire preview's meta: what the fires were computed for, beside the envelope's own. */
export const firesMetaWire = z.object({
  cron: z.string(),
  timezone: z.string(),
  from: timestamp,
  count: z.number().int(),
  horizon: timestamp,
  random_delay: z.number().int(),
  delay: z.number().int().nullable(),
  fixed_time: z.boolean(),
  schedule_id: z.string().optional(),
  enabled: z.boolean().optional(),
  paused: z.boolean().optional(),
  paused_until: timestamp.nullable().optional(),
  request_id: z.string(),
  warnings: z.array(z.string()).optional(),
});

// --- compile-time agreement with the TypeScript types --------------------------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S extends z.ZodType> = z.output<S>;

/** Each entry is `true` only while the schema and the type describe the same object. */
export const WIRE_MATCHES_TYPES: {
  schedule: Same<Out<typeof scheduleWire>, Schedule>;
  run: Same<Out<typeof runWire>, Run>;
  command: Same<Out<typeof commandWire>, Command>;
  commandStarted: Same<Out<typeof commandStartedWire>, CommandStarted>;
  runStarted: Same<Out<typeof runStartedWire>, RunStarted>;
  machine: Same<Out<typeof machineWire>, Machine>;
  machineStatus: Same<Out<typeof machineStatusWire>, MachineStatus>;
  identity: Same<Out<typeof identityWire>, Identity>;
  listMeta: Same<Omit<Out<typeof listMetaWire>, 'request_id'>, ListMeta>;
  error: Same<Out<typeof errorWire>['error']['code'], ErrorBody['error']['code']>;
  settings: Same<Out<typeof appSettingsWire>, AppSettings>;
  remoteTest: Same<Out<typeof remoteTestResultWire>, RemoteTestResult>;
  backup: Same<Out<typeof backupInfoWire>, BackupInfo>;
  notifyTest: Same<Out<typeof notifyTestResultWire>, NotifyTestResult>;
  restore: Same<Out<typeof restoreResultWire>, RestoreResult>;
  fireTime: Same<Out<typeof fireTimeWire>, FireTime>;
  decision: Same<Out<typeof decisionWire>, Decision>;
  lastDecision: Same<Out<typeof lastDecisionWire>, LastDecision>;
  decisionAt: Same<Out<typeof decisionAtWire>, DecisionAt>;
  firesMeta: Same<Omit<Out<typeof firesMetaWire>, 'request_id' | 'warnings'>, FiresMeta>;
} = {
  schedule: true,
  run: true,
  command: true,
  commandStarted: true,
  runStarted: true,
  machine: true,
  machineStatus: true,
  identity: true,
  listMeta: true,
  error: true,
  settings: true,
  remoteTest: true,
  backup: true,
  notifyTest: true,
  restore: true,
  fireTime: true,
  decision: true,
  lastDecision: true,
  decisionAt: true,
  firesMeta: true,
};
