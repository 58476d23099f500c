// @ts-nocheck
// 
// What each field means, and whether Cmdop's docs define it or it is ours: attached to the
// generated OpenAPI document (description, `x-origin`) and so to docs/api.md. A test fails
// when a field of any schema has no entry here, so a new field cannot go undocumented.
import {
  alertDocs,
  attemptDocs,
  decisionDocs,
  deliveryDocs,
  type Doc,
  type Origin,
} from './openapi-field-groups';

/** Request bodies describe the same fields as the object they make. */
const ALIASES: Record<string, string> = {
  ScheduleCreate: 'Schedule',
  SchedulePatch: 'Schedule',
  ScheduleBatch: 'Schedule',
  CommandRun: 'Command',
  CommandStart: 'Command',
  SettingsPatch: 'Settings',
  NotifyTest: 'Schedule',
  CronFires: 'Schedule',
};

const C = (text: string): Doc => ['cmdop', text];
const O = (text: string): Doc => ['ours', text];

const DOCS: Record<string, Doc> = {
  // --- schedules
  'Schedule.id': C('`sched_…`; read-only'),
  'Schedule.name': C('required; 1..200 characters after trimming'),
  'Schedule.description': C('default ""; at most 2,000 characters'),
  'Schedule.machine_id': C(
    "required; this machine's id (or `local`), or with a Cmdop connection one of its machines",
  ),
  'Schedule.command': C(
    "required; run by the user's shell (`$SHELL -c`); at most 65,536 characters",
  ),
  'Schedule.cron': C(
    'required; 5 fields, or 6 with leading seconds, or @yearly @annually @monthly @weekly @daily @midnight @hourly',
  ),
  'Schedule.enabled': C('default true'),
  'Schedule.timezone': C('IANA zone, default "UTC"; stored in IANA spelling (`utc` → `UTC`)'),
  'Schedule.timeout': C('ms, 1000..604800000; null or absent: no limit'),
  'Schedule.notify': C(
    '`{on_success: false, on_failure: true}` by default; a partial object is merged',
  ),
  'Schedule.notify.on_success': C('notify when a run succeeds'),
  'Schedule.notify.on_failure': C('notify when a run fails, times out or is interrupted'),
  'Schedule.next_run': C('read-only; null when disabled or never firing again'),
  'Schedule.last_run': C('read-only; the newest finished run, or null'),
  'Schedule.created_at': C('read-only'),
  'Schedule.updated_at': C('read-only'),
  'Schedule.cwd': O("absolute working directory; null: the user's home"),
  'Schedule.env': O('extra environment, name to value (at most 256 variables)'),
  'Schedule.overlap': O('`skip` (default: a fire during a run is recorded as skipped) or `allow`'),
  'Schedule.catch_up': O('default false; run once after the app was off at a fire time'),
  'Schedule.running': O('read-only; a run of it is in progress'),
  'Schedule.error': O(
    'read-only; only on a stored schedule that breaks the rules: why it does not run',
  ),
  'Schedule.stats': O('read-only; how its recent runs went'),
  'Schedule.retries': O(
    '0..10 (default 0); a failed or timed-out run is tried again up to this many times',
  ),
  'Schedule.retry_delay': O('ms, 1000..3600000 (default 60000): the wait after the first failure'),
  'Schedule.retry_backoff': O(
    '1..10 (default 2): each further wait is this many times the last, capped at 1 h',
  ),
  'Schedule.random_delay': O(
    "ms, 0..3600000 (default 0): every start moves by one fixed offset below this, drawn from the schedule's id",
  ),
  'Schedule.shell': O('`login` (`$SHELL -l -c`) or `plain` (`$SHELL -c`, the default)'),
  'Schedule.env_file': O('absolute path of a dotenv file read at each run, over `env`; or null'),
  'Schedule.paused_until': O('ISO 8601 timestamp with a zone: fires before it do not run; or null'),
  'Schedule.run_on_battery': O('default true; false: a fire on battery power is skipped'),
  'Schedule.next_retry_at': O('read-only; when a failed run is tried again, or null'),
  'Schedule.retry_command_id': O('read-only; the waiting retry: cancel this command to stop it'),
  'Schedule.items': O('the schedules to create, 1..1000'),
  'Schedule.items.id': O('optional: keep the id of an export (`sched_…`)'),
  'Schedule.items.created_at': O('optional: keep the creation time of an export'),
  'Schedule.items.updated_at': O('optional: keep the update time of an export'),
  ...alertDocs('Schedule.notify'),
  ...alertDocs('Notify'),
  'Notify.on_success': C('notify when a run succeeds'),
  'Notify.on_failure': C('notify when a run fails, times out or is interrupted'),
  'LastRun.at': C('when it started'),
  'LastRun.exit_code': C('null when ended by a signal'),
  'LastRun.duration': C('ms'),
  'LastRun.status': O('its run status'),
  'ScheduleStats.runs_24h': O(
    'finished runs started in the last 24 hours (skipped ones not counted)',
  ),
  'ScheduleStats.failures_24h': O('of those, the ones that failed, timed out or were interrupted'),
  'ScheduleStats.last_failure_at': O('when the newest kept failed run started'),
  'ScheduleStats.recent': O('the newest 20 finished runs, newest first'),
  'RunSummary.at': O('when it started'),
  'RunSummary.status': O('its run status'),
  'RunSummary.duration': O('ms'),
  // --- runs
  'Run.id': C('`run_…`'),
  'Run.started_at': C('when it started'),
  'Run.finished_at': C('null while running'),
  'Run.exit_code': C('null while running or when ended by a signal'),
  'Run.duration': C('ms; null while running'),
  'Run.stdout': C('captured output: the first and last 128 KiB, with a marker between'),
  'Run.stderr': C('captured error output, capped like stdout'),
  'Run.schedule_id': O('the schedule that ran it; "adhoc" for an ad-hoc command'),
  'Run.command_id': O('its command id, `cmd_…`'),
  'Run.trigger': O('`schedule`, `manual` (run now, ad-hoc) or `catch_up`'),
  'Run.status': O(
    '`running`, `success`, `failure`, `timeout`, `cancelled`, `interrupted` (the app stopped), `skipped` (overlap)',
  ),
  'Run.scheduled_for': O('the cron instant that caused it; null for manual runs'),
  'Run.signal': O('the signal that ended it, e.g. SIGKILL'),
  'Run.truncated': O('output went over the cap; the kept text marks where bytes were dropped'),
  'Run.output_length': O('while running: characters each stream has printed so far'),
  'Run.output_length.stdout': O('characters printed on stdout'),
  'Run.output_length.stderr': O('characters printed on stderr'),
  'Run.command': O('on ad-hoc commands only: the command line that ran'),
  ...attemptDocs('Run'),
  ...deliveryDocs('Run'),
  // --- commands
  'Command.id': C('`cmd_…`'),
  'Command.status': C('`running`, then `completed` (exit 0), `failed` or `cancelled`'),
  'Command.machine_id': C('the machine it runs on (`local` accepted on input)'),
  'Command.command': C(
    "the command line; required on input. For a schedule's run, the schedule's command as it is now",
  ),
  'Command.exit_code': C('null while running or when ended by a signal'),
  'Command.stdout': C('output so far while running; the first and last 128 KiB when more'),
  'Command.stderr': C('error output, like stdout'),
  'Command.started_at': C('when it started'),
  'Command.finished_at': C('null while running'),
  'Command.duration': C('ms; null while running'),
  'Command.cwd': C("working directory, absolute; default the user's home"),
  'Command.env': C('extra environment variables'),
  'Command.timeout': C(
    'ms. POST /v1/commands: 1000..3600000, default 60000. /async: 1000..604800000 or null (default: no limit)',
  ),
  'Command.user': C("run as this user: only the app's own user is accepted (no privilege change)"),
  'Command.command_id': O('the same as id (the run object has always had it)'),
  'Command.run_id': O("the run's id, `run_…`"),
  'Command.run_status': O(
    'the precise status: `success`, `failure`, `timeout`, `cancelled`, `interrupted`, `skipped`, `running`',
  ),
  'Command.schedule_id': O('the schedule that ran it; "adhoc" for an ad-hoc command'),
  'Command.trigger': O('`schedule`, `manual` or `catch_up`'),
  'Command.scheduled_for': O('the cron instant that caused it; null for manual ones'),
  'Command.signal': O('the signal that ended it'),
  'Command.truncated': O('output went over the cap'),
  'Command.output_length': O('while running: characters each stream has printed so far'),
  'Command.output_length.stdout': O('characters printed on stdout'),
  'Command.output_length.stderr': O('characters printed on stderr'),
  'CommandStarted.id': C('the command id, `cmd_…`'),
  'CommandStarted.status': C('always `running`'),
  'CommandStarted.command_id': O('the same as id'),
  'CommandStarted.run_id': O('its run id, `run_…`'),
  'RunStarted.command_id': C('the new command, `cmd_…`'),
  'RunStarted.status': C('always `running`'),
  // --- machines
  'Machine.id': C('`mach_…`, kept in the data directory'),
  'Machine.name': C('the host name'),
  'Machine.status': C('`online` or `offline`'),
  'Machine.os': C('`linux`, `macos`, `windows`…'),
  'Machine.arch': C("Cmdop's names: `amd64`, `arm64`, `386`, `arm`…"),
  'Machine.hostname': C('the host name'),
  'Machine.ip': C('the first external IPv4 address (else IPv6); null when there is none'),
  'Machine.tags': C('this machine: `["local"]`'),
  'Machine.agent_version': C("the agent's version: for this machine, the app's"),
  'Machine.created_at': C('when the machine id was made'),
  'Machine.last_seen': C('this machine: now'),
  'MachineStatus.connected': C('this machine: always true'),
  'MachineStatus.uptime': C('seconds since the machine booted'),
  'MachineStatus.last_ping': C('this machine: now'),
  'MachineStatus.cpu': C('CPU'),
  'MachineStatus.cpu.usage': C('percent busy, all cores, over 200 ms'),
  'MachineStatus.cpu.cores': C('logical cores'),
  'MachineStatus.memory': C('memory, bytes'),
  'MachineStatus.memory.total': C('bytes'),
  'MachineStatus.memory.used': C('bytes'),
  'MachineStatus.memory.free': C('bytes'),
  'MachineStatus.disk': C('the file system of `/` (the home drive on Windows), bytes'),
  'MachineStatus.disk.total': C('bytes'),
  'MachineStatus.disk.used': C('bytes'),
  'MachineStatus.disk.free': C('bytes free to unprivileged users'),
  // --- auth
  'Identity.id': C('ours: `local`'),
  'Identity.email': C('ours: null'),
  'Identity.name': C('what the token is'),
  'Identity.plan': C('ours: `local`'),
  'Identity.permissions': C("Cmdop's permission names; the local token has all of them"),
  'Identity.auth': O("`token` (the TCP API) or `socket` (the owner's Unix socket)"),
  // --- envelopes
  'ListMeta.total': C('how many match, over all pages'),
  'ListMeta.limit': C('the page size used'),
  'ListMeta.offset': C('the offset used'),
  'ListMeta.warnings': O(
    'what was ignored or missing: unknown query parameters, a remote that could not be reached',
  ),
  'ListMeta.request_id': O("on the batch answer: this request's id"),
  'Meta.request_id': C("this request's id, `req_…` (also the X-Request-Id header)"),
  'Meta.warnings': O('unknown query parameters that were ignored'),
  'Error.error': C('the error'),
  'Error.error.code': C('a stable string, e.g. `not_found`, `validation_error`'),
  'Error.error.message': C('for a person'),
  'Error.error.details': C('more: `fields` names each bad field (validation_error)'),
  'Error.error.details.fields': O(
    'field → rule it broke, e.g. `{"cron": "minute must be 0-59, got 99"}`',
  ),
  'Error.error.retry_after': C('on 429: seconds until a request may be sent again'),
  'Deleted.deleted': C('always true'),
  'Cancelled.cancelled': C('always true'),
  // --- settings (ours)
  'Settings.notifications': O('notifications'),
  'Settings.notifications.muted': O('no notifications at all'),
  'Settings.history': O('history retention: runs beyond either limit are dropped'),
  'Settings.history.max_runs': O('runs kept per schedule, 1..100000 (default 1000)'),
  'Settings.history.max_age_days': O('days a run is kept, 1..3650 (default 90)'),
  'Settings.paused': O('scheduled fires do not run (run now still works)'),
  'Settings.local_api': O("the tray app's loopback API"),
  'Settings.local_api.enabled': O('whether the tray app serves it'),
  'Settings.local_api.port': O('1024..65535 (default 7878)'),
  'Settings.start_at_login': O('the tray app only: start with the desktop session; null for serve'),
  'Settings.remote': O('the Cmdop connection'),
  'Settings.remote.url': O(
    'the Cmdop API base URL (cloud `https://api.cmdop.com/v1`, self-hosted `https://HOST/api/v1`); null: none',
  ),
  'Settings.remote.token': O('write-only; null clears it'),
  'Settings.remote.token_set': O('whether a token is stored'),
  'Settings.remote.source': O('`cli` when --remote-url / CMDOP_API_TOKEN decide it'),
  'Settings.remote.connected': O('whether remote machines are being served'),
  'Settings.remote.token_encrypted': O('whether the OS keychain encrypts the stored token'),
  'Settings.remote.token_unreadable': O('why a saved token cannot be read by this owner, or null'),
  'Settings.server': O('the API this answer came from'),
  'Settings.server.mode': O('`headless` (serve) or `tray`'),
  'Settings.server.url': O('its address, or null'),
  'Settings.server.token': O('the local API token, or null when the local API is off'),
  'Settings.server.token_source': O('`env`, `file` or `generated`'),
  'Settings.storage': O('whether the data directory can be written'),
  'Settings.storage.ok': O('true when every write works'),
  'Settings.storage.problem': O('what fails, or null'),
  'Settings.storage.problem.scope': O(
    '`history`, `store`, `state`, `pending` (retries and held fires) or `deliveries`',
  ),
  'Settings.storage.problem.path': O('the path that could not be written'),
  'Settings.storage.problem.code': O('the errno code, e.g. ENOSPC'),
  'Settings.storage.problem.message': O('one sentence naming the path and the free space'),
  'Settings.storage.problem.free_bytes': O('free space, or null when unknown'),
  'Settings.storage.problem.since': O('when it began'),
  ...attemptDocs('Command'),
  ...deliveryDocs('Command'),
  'Settings.paused_until': O('scheduled fires before it do not run, then they resume; or null'),
  'RemoteTest.url': O(
    'the URL to try (default: the saved one); a bare address is probed at /api/v1 and /v1',
  ),
  'RemoteTest.token': O('the token to try (default: the saved one)'),
  'RemoteTestResult.ok': O('whether the API answered with the token'),
  'RemoteTestResult.message': O('what happened, for a person'),
  'RemoteTestResult.machines': O('how many machines the account has'),
  'RemoteTestResult.kind': O(
    'what answered auth/me: `cloud`, `self-hosted`, `cmdop-scheduler` or `unknown`',
  ),
  'RemoteTestResult.url': O('the base URL that answered: the one to save'),
  'NotifyTestResult.ok': O('every channel answered with a 2xx'),
  'NotifyTestResult.results': O('one per channel tried: the webhook, then the ping URL'),
  'NotifyTestResult.results.channel': O('`webhook` or `ping`'),
  'NotifyTestResult.results.url': O(
    'redacted (`https://hooks.slack.com/…`), or with the suffix pinged',
  ),
  'NotifyTestResult.results.ok': O('the receiver answered with a 2xx'),
  'NotifyTestResult.results.status_code': O(
    "the receiver's HTTP status, or null when none came back",
  ),
  'NotifyTestResult.results.error': O('why it failed (a timeout, a refused connection…), or null'),
  // --- backups (ours)
  'Backup.id': O('the file name in `backups/`: what restore takes'),
  'Backup.kind': O('`daily`, `manual` or `before-restore`'),
  'Backup.created_at': O('when it was made'),
  'Backup.size': O('bytes'),
  'Backup.schedules': O('schedules in it; null when it cannot be read'),
  'RestoreResult.restored': O('the backup restored'),
  'RestoreResult.previous': O('the copy made just before: restore it to undo'),
  'RestoreResult.schedules': O('schedules now'),
  // --- the fire preview (ours)
  'FireTime.at': O("when it runs, the schedule's random delay included"),
  'FireTime.scheduled_for': O('the cron instant, as its run will record it in `scheduled_for`'),
  'FireTime.local': O("`at` as the zone's wall clock reads it, e.g. `2026-03-08T03:30:00`"),
  'FireTime.utc_offset': O("the zone's offset at `at`, e.g. `-04:00`"),
  'FireTime.dst': O(
    '`moved` (the local time named falls in a spring gap: it runs later), `repeated` (an autumn hour that happens twice) or null',
  ),
  'FireTime.moved_from': O('with `dst: "moved"`: the local time the expression named; else null'),
  'FireTime.paused': O('a pause in force now holds it back: it will not run'),
  'FiresMeta.cron': O('the expression'),
  'FiresMeta.timezone': O('its zone'),
  'FiresMeta.from': O('the fires follow this instant'),
  'FiresMeta.count': O('fires returned: fewer than asked when none come before `horizon`'),
  'FiresMeta.horizon': O('fires were looked for up to here (100 years after `from`)'),
  'FiresMeta.random_delay': O('the random delay asked for, ms'),
  'FiresMeta.delay': O(
    'the fixed offset every fire is moved by, ms; null while unknown (a random delay without `schedule_id`)',
  ),
  'FiresMeta.fixed_time': O(
    "cronie's test: a fixed-time job is moved by a spring gap and runs once in a repeated hour",
  ),
  'FiresMeta.schedule_id': O('the schedule (its route only, or when given)'),
  'FiresMeta.enabled': O('the schedule route: whether it is enabled'),
  'FiresMeta.paused': O('the schedule route: a pause (global or its own) is in force now'),
  'FiresMeta.paused_until': O('the schedule route: when that pause ends; null: until resumed'),
  'FiresMeta.request_id': C("this request's id, `req_…` (also the X-Request-Id header)"),
  'FiresMeta.warnings': O('unknown query parameters that were ignored'),
  'CronFires.from': O('fires strictly after this ISO 8601 instant; default now'),
  'CronFires.count': O('how many fires, 1..1000 (default 10)'),
  'CronFires.schedule_id': O(
    "the schedule being edited, if any: its random delay's offset is drawn from its id",
  ),
  // --- the decision log (ours)
  'Schedule.last_decision': O(
    'read-only; its newest decision-log entry: what became of its last planned fire',
  ),
  ...decisionDocs('Decision'),
  ...decisionDocs('LastDecision'),
  ...decisionDocs('DecisionAt.decision'),
  ...decisionDocs('Schedule.last_decision'),
  'DecisionAt.schedule_id': O('the schedule'),
  'DecisionAt.timezone': O("the schedule's zone: the sentence's times are read in it"),
  'DecisionAt.time': O('the instant asked about'),
  'DecisionAt.planned': O('whether a fire was planned at exactly `time`'),
  'DecisionAt.fire': O('the planned fire answered for: `time`, or the nearest to it; null if none'),
  'DecisionAt.nearest': O(
    'when none was planned at `time`: the planned fires just before and after',
  ),
  'DecisionAt.decision': O('what became of `fire`; null when not yet due or none is recorded'),
  'DecisionAt.related': O('other decisions about the same fire: its catch-up, its retries'),
  'DecisionAt.sentence': O("why, in one sentence, in the schedule's zone"),
  // --- query parameters
  'query.limit': C('page size, 1..100 (default 20)'),
  'query.offset': C('how many to skip (default 0)'),
  'query.machine_id': C("only this machine's schedules (`local` means this machine)"),
  'query.enabled': C('`true` or `false`'),
  'query.search': C(
    'case-insensitive text in the name (schedules: or the command; machines: or the hostname)',
  ),
  'query.since': C('ISO 8601 timestamp: only those started at or after it'),
  'query.status': C(
    'machines: `online`/`offline`; commands: `running`/`completed`/`failed`/`cancelled`; history (ours): a run status',
  ),
  'query.tags': C('comma-separated; machines carrying every one'),
  'query.from': O('ISO 8601 timestamp: fires strictly after it (default now)'),
  'query.count': O('how many fires, 1..1000 (default 10)'),
  'query.until': O('ISO 8601 timestamp: only decisions about fires planned at or before it'),
  'query.time': O('required; the ISO 8601 instant asked about, e.g. 2026-03-08T08:00:00Z'),
};

export interface FieldDoc {
  origin: Origin;
  description: string | undefined;
}

/** The doc of a field (`path` is dotted for nested objects); undefined when there is none. */
export function fieldDoc(component: string, path: string): FieldDoc {
  const alias = ALIASES[component] ?? '';
  // A batch's items are schedules: `items.cron` is a schedule's `cron`.
  const doc =
    DOCS[`${component}.${path}`] ??
    DOCS[`${alias}.${path}`] ??
    DOCS[`${alias}.${path.replace(/^items\./, '')}`];
  if (!doc) return { origin: 'ours', description: undefined };
  return { origin: doc[0], description: `(${doc[0] === 'cmdop' ? 'Cmdop' : 'ours'}) ${doc[1]}` };
}

type Json = Record<string, unknown>;

/** Inline object schemas inside a property: itself, or one branch of a nullable/anyOf. */
function objectsIn(schema: Json): Json[] {
  const branches = [schema, ...((schema.anyOf as Json[] | undefined) ?? [])];
  const out: Json[] = [];
  for (const b of branches) {
    if (b.properties) out.push(b);
    const items = b.items as Json | undefined;
    if (items?.properties) out.push(items);
  }
  return out;
}

/** Sets description and x-origin on every property, nested inline objects included. */
export function describeProperties(component: string, schema: Json, prefix = ''): void {
  for (const obj of objectsIn(schema)) {
    const props = obj.properties as Record<string, Json>;
    for (const [name, prop] of Object.entries(props)) {
      const path = `${prefix}${name}`;
      const doc = fieldDoc(component, path);
      if (doc.description) {
        prop.description = doc.description;
        prop['x-origin'] = doc.origin;
      }
      describeProperties(component, prop, `${path}.`);
    }
  }
}
