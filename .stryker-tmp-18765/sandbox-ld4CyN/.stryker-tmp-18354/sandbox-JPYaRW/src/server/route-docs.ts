// @ts-nocheck
// 
// Every route the server registers, described once: what it takes (the same zod schemas the
// services parse with), what it answers, which errors, one example, and whether Cmdop's docs
// define it or it is ours. The OpenAPI document (openapi.ts) and docs/api.md are generated
// from this table, the server reads it to name unknown query parameters, and a test fails
// when a registered route is missing here. A new route: register it, add its entry.
import { notifyTestSchema } from '../shared/alerts-api';
import { batchSchema } from '../shared/batch';
import { restoreSchema } from '../shared/backups';
import {
  commandRunSchema,
  commandsQuerySchema,
  commandStartSchema,
  historyQuerySchema,
  listQuerySchema,
  machinesQuerySchema,
  scheduleCreateSchema,
  schedulePatchSchema,
} from '../shared/schemas';
import { remoteTestSchema, settingsPatchSchema } from '../shared/settings';
import {
  appSettingsWire,
  backupInfoWire,
  cancelledWire,
  commandStartedWire,
  commandWire,
  deletedWire,
  identityWire,
  machineStatusWire,
  machineWire,
  notifyTestResultWire,
  remoteTestResultWire,
  restoreResultWire,
  runStartedWire,
  runWire,
  scheduleWire,
} from '../shared/wire-schemas';
import { SCHEDULE_ID_PARAM, type RouteDoc } from './route-doc-types';
import { PLANNING_ROUTE_DOCS } from './route-docs-planning';
import { EXAMPLES as X } from './route-examples';

export type { Origin, RouteDoc } from './route-doc-types';

const SCHEDULE_ID = { id: SCHEDULE_ID_PARAM };
const COMMAND_ID = { id: 'the command id, `cmd_…` (what run-now and POST /v1/commands return)' };
const MACHINE_ID = { id: 'the machine id, `mach_…`; `local` means this machine' };

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /v1/schedules': {
    origin: 'cmdop',
    tag: 'Schedules',
    summary: 'List schedules',
    description:
      'Ordered by created_at, then id. Without `machine_id`, this machine first, then a Cmdop ' +
      "connection's machines, with one `total`; a remote that cannot be reached is a `meta.warnings` entry.",
    query: listQuerySchema,
    answer: { list: scheduleWire },
    errors: ['validation_error'],
    example: { query: 'enabled=true&limit=20', data: [X.schedule] },
  },
  'POST /v1/schedules': {
    origin: 'cmdop',
    tag: 'Schedules',
    summary: 'Create a schedule',
    description:
      'Unknown and read-only fields are refused by name. `machine_id` must be this machine ' +
      '(or `local`) or, with a Cmdop connection, one of its machines; any other is 404 `not_found`.',
    body: scheduleCreateSchema,
    status: 201,
    answer: { one: scheduleWire },
    errors: ['validation_error', 'invalid_json', 'not_found', 'insufficient_storage'],
    example: { body: X.scheduleCreate, data: X.schedule },
  },
  'POST /v1/schedules/batch': {
    origin: 'ours',
    tag: 'Schedules',
    summary: 'Create up to 1,000 schedules at once',
    description:
      'All or nothing; every bad field of every item is named (`items.3.cron`). Items may carry ' +
      'the `id`, `created_at` and `updated_at` of an export. Body limit 8 MiB. `meta.total` is the count created.',
    body: batchSchema,
    status: 201,
    answer: { list: scheduleWire },
    errors: ['validation_error', 'invalid_json', 'insufficient_storage'],
    example: { body: { items: [X.scheduleCreate] }, data: [X.schedule] },
  },
  'GET /v1/schedules/:id': {
    origin: 'cmdop',
    tag: 'Schedules',
    summary: 'Get a schedule',
    description: 'A stored schedule that breaks the rules is shown with `error` and never fires.',
    params: SCHEDULE_ID,
    answer: { one: scheduleWire },
    errors: ['not_found'],
    example: { data: X.schedule },
  },
  'PATCH /v1/schedules/:id': {
    origin: 'cmdop',
    tag: 'Schedules',
    summary: 'Update a schedule',
    description:
      'Any subset of the writable fields; `notify` is merged. `updated_at` changes and `next_run` ' +
      'is recomputed (an unchanged body changes nothing).',
    params: SCHEDULE_ID,
    body: schedulePatchSchema,
    answer: { one: scheduleWire },
    errors: ['validation_error', 'invalid_json', 'not_found', 'insufficient_storage'],
    example: {
      body: { name: 'Updated Name', cron: '0 4 * * *', enabled: false },
      data: {
        ...X.schedule,
        name: 'Updated Name',
        cron: '0 4 * * *',
        enabled: false,
        next_run: null,
      },
    },
  },
  'DELETE /v1/schedules/:id': {
    origin: 'cmdop',
    tag: 'Schedules',
    summary: 'Delete a schedule',
    description: 'Its running commands are cancelled and its history goes too.',
    params: SCHEDULE_ID,
    answer: { one: deletedWire },
    errors: ['not_found', 'insufficient_storage'],
    example: { data: { deleted: true } },
  },
  'POST /v1/schedules/:id/run': {
    origin: 'cmdop',
    tag: 'Schedules',
    summary: 'Run a schedule now',
    description:
      'Works on disabled schedules and while schedules are paused. With overlap `skip` and a run in progress: 409 `conflict` naming the running command_id; a stored schedule that breaks the rules: 409.',
    params: SCHEDULE_ID,
    answer: { one: runStartedWire },
    errors: ['not_found', 'conflict'],
    example: { data: { command_id: 'cmd_xyz789', status: 'running' } },
  },
  'POST /v1/schedules/:id/notify/test': {
    origin: 'ours',
    tag: 'Schedules',
    summary: "Send a sample to a schedule's webhook and ping URL",
    description:
      "One sample to each alert channel, now, and how each receiver answered (one attempt, 10 s). A `notify` in the body is tried over the schedule's own (the editor's unsaved values). A channel that fails is still a 200 with `ok: false`; no channel to test is a 400 naming `notify`.",
    params: SCHEDULE_ID,
    body: notifyTestSchema,
    answer: { one: notifyTestResultWire },
    errors: ['validation_error', 'invalid_json', 'not_found'],
    example: { body: X.notifyTest, data: X.notifyTestResult },
  },
  'GET /v1/schedules/:id/history': {
    origin: 'cmdop',
    tag: 'Schedules',
    summary: "A schedule's runs",
    description: 'Newest first, with their output.',
    params: SCHEDULE_ID,
    query: historyQuerySchema,
    answer: { list: runWire },
    errors: ['validation_error', 'not_found'],
    example: { query: 'since=2024-01-01T00:00:00Z&limit=20', data: [X.run] },
  },
  ...PLANNING_ROUTE_DOCS,
  'POST /v1/commands': {
    origin: 'cmdop',
    tag: 'Commands',
    summary: 'Run a command on a machine and wait for it',
    description:
      "Runs in the user's shell like a schedule's command (same runner, output caps and history, " +
      'recorded under `schedule_id` "adhoc"). The answer comes when it ends; `timeout` (default 60 s, ' +
      'at most 1 h) ends it with SIGTERM, then SIGKILL after 5 s, and it is then `failed` (run_status ' +
      '`timeout`). If the client goes away the command goes on; read or cancel it by its id. At most 64 ' +
      'ad-hoc commands run at once (409 beyond).',
    body: commandRunSchema,
    answer: { one: commandWire },
    errors: ['validation_error', 'invalid_json', 'not_found', 'conflict'],
    example: { body: X.commandRun, data: X.command },
  },
  'POST /v1/commands/async': {
    origin: 'cmdop',
    tag: 'Commands',
    summary: 'Start a command on a machine',
    description:
      'Answers at once with the command id (and a `Location` header); read it with GET /v1/commands/:id. ' +
      'No time limit unless `timeout` is given.',
    body: commandStartSchema,
    answer: { one: commandStartedWire },
    errors: ['validation_error', 'invalid_json', 'not_found', 'conflict'],
    example: {
      body: { machine_id: 'local', command: 'npm run build' },
      data: { id: 'cmd_xyz789', status: 'running', command_id: 'cmd_xyz789', run_id: 'run_xyz789' },
    },
  },
  'GET /v1/commands/:id': {
    origin: 'cmdop',
    tag: 'Commands',
    summary: 'Get a command: status, exit code and output',
    description:
      "Any command: an ad-hoc one or a schedule's run. While it runs, `stdout`/`stderr` hold the output " +
      'so far and `output_length` how much each stream has printed (follow on with `run.output` events).',
    params: COMMAND_ID,
    answer: { one: commandWire },
    errors: ['not_found'],
    example: { data: X.command },
  },
  'DELETE /v1/commands/:id': {
    origin: 'cmdop',
    tag: 'Commands',
    summary: 'Cancel a running command',
    description:
      'SIGTERM to its process group, SIGKILL after a 5 s grace. 409 `not_running` if it already ended.',
    params: COMMAND_ID,
    answer: { one: cancelledWire },
    errors: ['not_found', 'not_running'],
    example: { data: { cancelled: true } },
  },
  'GET /v1/machines': {
    origin: 'cmdop',
    tag: 'Machines',
    summary: 'List machines',
    description: "This machine first, then a Cmdop connection's machines.",
    query: machinesQuerySchema,
    answer: { list: machineWire },
    errors: ['validation_error'],
    example: { query: 'status=online&limit=10', data: [X.machine] },
  },
  'GET /v1/machines/:id': {
    origin: 'cmdop',
    tag: 'Machines',
    summary: 'Get a machine',
    description: 'An unknown id is 404 `not_found`, naming the machines there are.',
    params: MACHINE_ID,
    answer: { one: machineWire },
    errors: ['not_found'],
    example: { data: X.machine },
  },
  'GET /v1/machines/:id/status': {
    origin: 'cmdop',
    tag: 'Machines',
    summary: "A machine's CPU, memory and disk",
    description:
      'Read when asked: CPU usage is the busy share of all cores over 200 ms; the disk is the file ' +
      "system of `/` (the home drive on Windows); uptime is the machine's, in seconds.",
    params: MACHINE_ID,
    answer: { one: machineStatusWire },
    errors: ['not_found'],
    example: { data: X.machineStatus },
  },
  'GET /v1/machines/:id/commands': {
    origin: 'cmdop',
    tag: 'Commands',
    summary: "A machine's ad-hoc commands",
    description:
      "Newest first, with their output. A schedule's runs are in its history instead. Kept as long as " +
      'history retention keeps runs.',
    params: MACHINE_ID,
    query: commandsQuerySchema,
    answer: { list: commandWire },
    errors: ['validation_error', 'not_found'],
    example: { query: 'status=failed&limit=20', data: [X.command] },
  },
  'GET /v1/auth/me': {
    origin: 'cmdop',
    tag: 'Auth',
    summary: 'Who the token is',
    description:
      'The local API has one user, `local`, with every permission; `auth` says whether the request ' +
      "came with the token or over the owner's socket.",
    answer: { one: identityWire },
    errors: [],
    example: { data: X.identity },
  },
  'GET /v1/events': {
    origin: 'ours',
    tag: 'Events',
    summary: 'Live events (Server-Sent Events)',
    description:
      '`schedule.created/updated/deleted`, `run.started/output/finished`, `settings.updated`, ' +
      '`storage.changed`; each `data:` line is one JSON event. Read it with fetch streaming so the ' +
      'token stays in a header. A comment line every 15 s keeps it open.',
    answer: { stream: 'text/event-stream' },
    errors: [],
    example: { data: 'event: run.started\ndata: {"type":"run.started","run":{…}}' },
  },
  'GET /v1/openapi.json': {
    origin: 'ours',
    tag: 'Meta',
    summary: 'This API as an OpenAPI 3.1 document',
    description:
      'Generated from the same schemas the server validates with; the same as docs/openapi.json.',
    answer: { document: 'application/json' },
    errors: [],
    example: { data: { openapi: '3.1.1', info: { title: 'Cmdop Scheduler API' } } },
  },
  'GET /v1/settings': {
    origin: 'ours',
    tag: 'Settings',
    summary: "The app's settings",
    description: 'The Cmdop token is never shown (only whether one is set).',
    answer: { one: appSettingsWire },
    errors: [],
    example: { data: X.settings },
  },
  'PATCH /v1/settings': {
    origin: 'ours',
    tag: 'Settings',
    summary: 'Change settings',
    description: 'Any subset; `remote.token` is write-only and `null` clears it.',
    body: settingsPatchSchema,
    answer: { one: appSettingsWire },
    errors: ['validation_error', 'invalid_json', 'insufficient_storage'],
    example: { body: { notifications: { muted: true } }, data: X.settings },
  },
  'POST /v1/settings/token/rotate': {
    origin: 'ours',
    tag: 'Settings',
    summary: 'Replace the local API token',
    description:
      'The old token stops working at once. 409 when the token comes from CMDOP_SCHEDULER_TOKEN.',
    answer: { one: appSettingsWire },
    errors: ['conflict', 'insufficient_storage'],
    example: { data: X.settings },
  },
  'POST /v1/settings/remote/test': {
    origin: 'ours',
    tag: 'Settings',
    summary: 'Try a Cmdop connection without saving it',
    description:
      'Probes `auth/me` at the URL (and, for a bare address, at `/api/v1` and `/v1` under it) and says ' +
      "what answered: Cmdop's cloud, a self-hosted Cmdop, another Cmdop Scheduler. `url` is the base URL to save.",
    body: remoteTestSchema,
    answer: { one: remoteTestResultWire },
    errors: ['validation_error', 'invalid_json'],
    example: {
      body: { url: 'https://cmdop.example.com', token: 'cmdop_xxx' },
      data: {
        ok: true,
        message: 'Connected to a self-hosted Cmdop at https://cmdop.example.com/api/v1: 3 machines',
        machines: 3,
        kind: 'self-hosted',
        url: 'https://cmdop.example.com/api/v1',
      },
    },
  },
  'GET /v1/backups': {
    origin: 'ours',
    tag: 'Backups',
    summary: 'Backups of the store',
    description:
      'Newest first: daily copies, copies made by hand and before each restore (7 of each kind).',
    answer: { list: backupInfoWire },
    errors: [],
    example: { data: [X.backup] },
  },
  'POST /v1/backups': {
    origin: 'ours',
    tag: 'Backups',
    summary: 'Make a backup now',
    description: 'A copy of the store as it is, kind `manual`.',
    status: 201,
    answer: { one: backupInfoWire },
    errors: ['insufficient_storage'],
    example: { data: { ...X.backup, kind: 'manual', id: 'config-20240120T150000Z-manual.json' } },
  },
  'POST /v1/backups/:id/restore': {
    origin: 'ours',
    tag: 'Backups',
    summary: 'Restore a backup',
    description:
      'The current store is saved first (kind `before-restore`), so a restore can be undone.',
    params: { id: 'the backup file name, e.g. config-20240120T030000Z-daily.json' },
    body: restoreSchema,
    answer: { one: restoreResultWire },
    errors: ['validation_error', 'not_found', 'insufficient_storage'],
    example: {
      data: {
        restored: X.backup,
        previous: { ...X.backup, kind: 'before-restore' },
        schedules: 12,
      },
    },
  },
};

/** The doc of a registered route, by fastify's method and URL. */
export function routeDoc(method: string, url: string): RouteDoc | undefined {
  return ROUTE_DOCS[`${method} ${url}`];
}
