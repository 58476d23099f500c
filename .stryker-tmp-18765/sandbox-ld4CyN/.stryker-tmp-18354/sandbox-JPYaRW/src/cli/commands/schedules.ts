// @ts-nocheck
// 
// Schedules from the terminal: list, show, add, edit, rm, enable, disable.
import type { ScheduleCreateInput, SchedulePatchInput } from '../../shared/schemas';
import type { Schedule } from '../../shared/types';
import { flag, str, type Command, type Context, type Options } from '../command';
import { usageError } from '../errors';
import { redactUrl } from '../../shared/alert-url';
import { clip, duration, json, lastRun, table, when } from '../format';

export const FIELD_OPTIONS: Options = {
  name: { type: 'string' },
  command: { type: 'string' },
  cron: { type: 'string' },
  description: { type: 'string' },
  timezone: { type: 'string' },
  machine: { type: 'string' },
  timeout: { type: 'string' },
  cwd: { type: 'string' },
  env: { type: 'string', multiple: true },
  'unset-env': { type: 'string', multiple: true },
  overlap: { type: 'string' },
  'catch-up': { type: 'boolean' },
  'no-catch-up': { type: 'boolean' },
  enabled: { type: 'boolean' },
  disabled: { type: 'boolean' },
  'notify-success': { type: 'boolean' },
  'no-notify-success': { type: 'boolean' },
  'notify-failure': { type: 'boolean' },
  'no-notify-failure': { type: 'boolean' },
  webhook: { type: 'string' },
  'webhook-format': { type: 'string' },
  ping: { type: 'string' },
  'allow-http': { type: 'boolean' },
  'no-allow-http': { type: 'boolean' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
  'retry-backoff': { type: 'string' },
  'random-delay': { type: 'string' },
  shell: { type: 'string' },
  // Not --env-file: Node 20 reads that flag itself wherever it stands on the command line
  // and exits 9 when no such file exists (`--env-file none` would never reach us).
  'environment-file': { type: 'string' },
  'paused-until': { type: 'string' },
  'run-on-battery': { type: 'boolean' },
  'no-run-on-battery': { type: 'boolean' },
};

const FIELD_HELP = `  --name TEXT              name (required for add)
  --command TEXT           shell command (required for add)
  --cron EXPR              5 fields, 6 with seconds, or @daily, @hourly… (required for add)
  --description TEXT
  --timezone ZONE          IANA zone (add: default this terminal's zone, ${localZone()})
  --machine ID             machine id (default: local)
  --timeout DURATION       e.g. 90s, 5m, 2h, 1500ms; a bare number is seconds; 'none' = no limit
  --cwd DIR                absolute working directory; 'none' = your home
  --env NAME=VALUE         extra environment (repeat for more)
  --unset-env NAME         edit: remove a variable (repeat for more)
  --overlap skip|allow     a fire while the previous run still runs: skip it, or run anyway
  --catch-up, --no-catch-up    run once after the app was off at a fire time
  --enabled, --disabled
  --notify-success, --no-notify-success, --notify-failure, --no-notify-failure
  --webhook URL|none       POST each run the notify flags allow (and runs going long) here
  --webhook-format json|slack|discord   the webhook's body (default json)
  --ping URL|none          health-check pings: URL/start, URL on success, URL/fail
  --allow-http, --no-allow-http    plain http to another machine for --webhook/--ping
  --retries N              retry a failed or timed-out run up to N times (0-10)
  --retry-delay DURATION   wait before the first retry (default 60s; 1s to 1h)
  --retry-backoff X        each further retry waits X times longer (1-10, default 2; at most 1h)
  --random-delay DURATION  move every start by the same offset below this (up to 1h), as
                           systemd's RandomizedDelaySec with FixedRandomDelay
  --shell login|plain      login: $SHELL -l -c, with your profile's PATH and variables
                           (add: the default); plain: $SHELL -c
  --environment-file PATH|none   env_file: a dotenv file read at each run (absolute path)
  --paused-until TIME|none fires before TIME (ISO 8601, or +DURATION from now) do not run
  --run-on-battery, --no-run-on-battery    skip fires while on battery power (run once on AC
                           with --catch-up)
`;

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `90s`, `5m`, `2h`, `1d`, `1500ms`, `30` (seconds) → ms. */
export function parseDuration(text: string, flagName: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw usageError(`--${flagName} must look like 90s, 5m, 2h or 1500ms, got '${text}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's'] as number;
  return Math.round(Number(m[1]) * unit);
}

/** A duration, or `none` → null. */
export function parseTimeout(text: string): number | null {
  if (text === 'none') return null;
  if (!/^\d/.test(text.trim())) {
    throw usageError(`--timeout must look like 90s, 5m, 2h, 1500ms or none, got '${text}'`);
  }
  return parseDuration(text, 'timeout');
}

/** An ISO 8601 instant as given, or `+DURATION` from now; `none` → null. */
export function parseInstant(text: string, flagName: string, now: number): string | null {
  if (text === 'none') return null;
  if (text.startsWith('+'))
    return new Date(now + parseDuration(text.slice(1), flagName)).toISOString();
  return text; // the server checks it and names the rule
}

/** A number as typed; the server checks its range and names the rule. */
function numberFlag(ctx: Context, name: string): number | undefined {
  const text = str(ctx, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw usageError(`--${name} must be a number, got '${text}'`);
  }
  return n;
}

/** `--env NAME=VALUE` flags over `env`. */
export function parseEnvPairs(pairs: string[], env: Record<string, string> = {}) {
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--env must be NAME=VALUE, got '${pair}'`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function both(ctx: Context, yes: string, no: string): boolean | undefined {
  if (flag(ctx, yes) && flag(ctx, no))
    throw usageError(`--${yes} and --${no} contradict each other`);
  return flag(ctx, yes) ? true : flag(ctx, no) ? false : undefined;
}

/** The schedule fields the flags set; `current` is the schedule being edited. */
export function fieldsFromFlags(ctx: Context, current?: Schedule): SchedulePatchInput {
  const f: SchedulePatchInput = {};
  const set = <K extends keyof SchedulePatchInput>(
    key: K,
    value: SchedulePatchInput[K] | undefined,
  ) => {
    if (value !== undefined) f[key] = value;
  };
  set('name', str(ctx, 'name'));
  set('command', str(ctx, 'command'));
  set('cron', str(ctx, 'cron'));
  set('description', str(ctx, 'description'));
  set('timezone', str(ctx, 'timezone'));
  set('machine_id', str(ctx, 'machine'));
  const timeout = str(ctx, 'timeout');
  if (timeout !== undefined) f.timeout = parseTimeout(timeout);
  const cwd = str(ctx, 'cwd');
  if (cwd !== undefined) f.cwd = cwd === 'none' ? null : cwd;
  set('overlap', str(ctx, 'overlap') as 'skip' | 'allow' | undefined);
  set('catch_up', both(ctx, 'catch-up', 'no-catch-up'));
  const enabled = both(ctx, 'enabled', 'disabled');
  set('enabled', enabled);
  const notify = notifyFromFlags(ctx);
  if (Object.keys(notify).length > 0) f.notify = notify;
  set('retries', numberFlag(ctx, 'retries'));
  const retryDelay = str(ctx, 'retry-delay');
  if (retryDelay !== undefined) f.retry_delay = parseDuration(retryDelay, 'retry-delay');
  set('retry_backoff', numberFlag(ctx, 'retry-backoff'));
  const randomDelay = str(ctx, 'random-delay');
  if (randomDelay !== undefined) f.random_delay = parseDuration(randomDelay, 'random-delay');
  set('shell', str(ctx, 'shell') as 'login' | 'plain' | undefined);
  const envFile = str(ctx, 'environment-file');
  if (envFile !== undefined) f.env_file = envFile === 'none' ? null : envFile;
  const pausedUntil = str(ctx, 'paused-until');
  if (pausedUntil !== undefined)
    f.paused_until = parseInstant(pausedUntil, 'paused-until', ctx.now());
  set('run_on_battery', both(ctx, 'run-on-battery', 'no-run-on-battery'));
  const adds = (ctx.values.env as string[] | undefined) ?? [];
  const removes = (ctx.values['unset-env'] as string[] | undefined) ?? [];
  if (adds.length || removes.length) {
    const env = parseEnvPairs(adds, { ...(current?.env ?? {}) });
    for (const name of removes) delete env[name];
    f.env = env;
  }
  return f;
}

/** Only the notify fields a flag names: the server merges them with the stored ones. */
function notifyFromFlags(ctx: Context): NonNullable<SchedulePatchInput['notify']> {
  const n: NonNullable<SchedulePatchInput['notify']> = {};
  const onSuccess = both(ctx, 'notify-success', 'no-notify-success');
  const onFailure = both(ctx, 'notify-failure', 'no-notify-failure');
  const allowHttp = both(ctx, 'allow-http', 'no-allow-http');
  if (onSuccess !== undefined) n.on_success = onSuccess;
  if (onFailure !== undefined) n.on_failure = onFailure;
  const webhook = str(ctx, 'webhook');
  if (webhook !== undefined) n.webhook_url = webhook === 'none' ? null : webhook;
  const format = str(ctx, 'webhook-format');
  if (format !== undefined) n.webhook_format = format as 'json' | 'slack' | 'discord';
  const ping = str(ctx, 'ping');
  if (ping !== undefined) n.ping_url = ping === 'none' ? null : ping;
  if (allowHttp !== undefined) n.allow_http = allowHttp;
  return n;
}

/** The alert channels, URLs redacted: `show` output lands in terminals and pastes. */
function alertsText(s: Schedule): string {
  const parts: string[] = [];
  const { webhook_url: hook, ping_url: ping } = s.notify;
  if (hook) parts.push(`webhook ${redactUrl(hook)} (${s.notify.webhook_format ?? 'json'})`);
  if (ping) parts.push(`ping ${redactUrl(ping)}`);
  if (s.notify.allow_http) parts.push('plain http allowed');
  return parts.length ? parts.join(', ') : '-';
}

function retriesText(s: Schedule): string {
  if (!s.retries) return 'none';
  const backoff = s.retry_backoff === 1 ? '' : `, ×${s.retry_backoff} each time`;
  return `${s.retries}, after ${duration(s.retry_delay)}${backoff}`;
}

function describe(s: Schedule, now: number): string {
  const rows: [string, string][] = [
    ['id', s.id],
    ['name', s.name],
    ['description', s.description || '-'],
    ['machine', s.machine_id],
    ['command', s.command],
    ['cron', `${s.cron} (${s.timezone})`],
    ['enabled', s.enabled ? 'yes' : 'no'],
    ['next run', when(s.next_run, now)],
    ['last run', s.last_run ? `${lastRun(s)} at ${when(s.last_run.at, now)}` : 'never run'],
    ['running', s.running ? 'yes' : 'no'],
    ['timeout', s.timeout === null ? 'none' : `${s.timeout / 1000} s`],
    ['cwd', s.cwd ?? '(home)'],
    [
      'env',
      Object.keys(s.env).length
        ? Object.entries(s.env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        : '-',
    ],
    ['overlap', s.overlap],
    ['catch up', s.catch_up ? 'yes' : 'no'],
    ['retries', retriesText(s)],
    [
      'next retry',
      s.next_retry_at ? `${when(s.next_retry_at, now)} (after ${s.retry_command_id ?? '?'})` : '-',
    ],
    ['random delay', s.random_delay ? `up to ${duration(s.random_delay)}` : 'none'],
    ['shell', s.shell === 'login' ? 'login ($SHELL -l -c)' : 'plain ($SHELL -c)'],
    ['env file', s.env_file ?? '-'],
    ['paused until', s.paused_until ? when(s.paused_until, now) : '-'],
    ['on battery', s.run_on_battery === false ? 'skip' : 'run'],
    [
      'notify',
      `success ${s.notify.on_success ? 'on' : 'off'}, failure ${s.notify.on_failure ? 'on' : 'off'}`,
    ],
    ['alerts', alertsText(s)],
    ['created', when(s.created_at, now)],
    ['updated', when(s.updated_at, now)],
  ];
  return (
    rows
      .map(([k, v]) => `${`${k}:`.padEnd(15)}${v.replace(/\n/g, '\n               ')}`)
      .join('\n') + '\n'
  );
}

function done(ctx: Context, verb: string, s: Schedule): number {
  if (ctx.json) ctx.out.write(json(s));
  else ctx.out.write(`${verb} ${s.id} '${s.name}'; next run ${when(s.next_run, ctx.now())}\n`);
  return 0;
}

export const list: Command = {
  name: 'list',
  summary: 'list schedules',
  help: `Usage: cmdop-scheduler list [--enabled | --disabled] [--machine ID] [--json]\n`,
  options: {
    enabled: { type: 'boolean' },
    disabled: { type: 'boolean' },
    machine: { type: 'string' },
  },
  async run(ctx) {
    const enabled = both(ctx, 'enabled', 'disabled');
    const all = await ctx.client().listAll({ enabled, machine_id: str(ctx, 'machine') });
    if (ctx.json) {
      ctx.out.write(json(all));
      return 0;
    }
    if (all.length === 0) {
      ctx.out.write('no schedules\n');
      return 0;
    }
    const now = ctx.now();
    ctx.out.write(
      table(
        ['ID', 'NAME', 'SCHEDULE', 'NEXT RUN', 'LAST RUN', 'ON'],
        all.map((s) => [
          s.id,
          clip(s.name, 32),
          `${s.cron} ${s.timezone}`,
          s.running ? 'running now' : when(s.next_run, now),
          lastRun(s),
          s.enabled ? 'yes' : 'no',
        ]),
      ),
    );
    return 0;
  },
};

export const show: Command = {
  name: 'show',
  summary: 'show one schedule',
  help: 'Usage: cmdop-scheduler show ID|NAME [--json]\n',
  args: [1, 1],
  async run(ctx) {
    const s = await ctx.client().resolve(ctx.positionals[0] as string);
    ctx.out.write(ctx.json ? json(s) : describe(s, ctx.now()));
    return 0;
  },
};

export const add: Command = {
  name: 'add',
  summary: 'create a schedule',
  help: `Usage: cmdop-scheduler add --name TEXT --command TEXT --cron EXPR [flags]\n\n${FIELD_HELP}`,
  options: FIELD_OPTIONS,
  async run(ctx) {
    const fields = fieldsFromFlags(ctx);
    const missing = (['name', 'command', 'cron'] as const).filter((k) => fields[k] === undefined);
    if (missing.length)
      throw usageError(`add needs ${missing.map((m) => `--${m}`).join(', ')}\n\n${this.help}`);
    // Like the editor: a new schedule runs in a login shell, with the user's PATH and tools.
    const input = {
      machine_id: 'local',
      timezone: localZone(),
      shell: 'login',
      ...fields,
    } as ScheduleCreateInput;
    return done(ctx, 'created', await ctx.client().create(input));
  },
};

export const edit: Command = {
  name: 'edit',
  summary: 'change fields of a schedule',
  help: `Usage: cmdop-scheduler edit ID|NAME [flags]\n\n${FIELD_HELP}`,
  options: FIELD_OPTIONS,
  args: [1, 1],
  async run(ctx) {
    const client = ctx.client();
    const current = await client.resolve(ctx.positionals[0] as string);
    const patch = fieldsFromFlags(ctx, current);
    if (Object.keys(patch).length === 0)
      throw usageError(`edit needs at least one field flag\n\n${this.help}`);
    return done(ctx, 'updated', await client.update(current.id, patch));
  },
};

function toggle(enabled: boolean): Command {
  const name = enabled ? 'enable' : 'disable';
  return {
    name,
    summary: `${name} a schedule`,
    help: `Usage: cmdop-scheduler ${name} ID|NAME [--json]\n`,
    args: [1, 1],
    async run(ctx) {
      const client = ctx.client();
      const s = await client.resolve(ctx.positionals[0] as string);
      return done(ctx, `${name}d`, await client.update(s.id, { enabled }));
    },
  };
}

export const enable = toggle(true);
export const disable = toggle(false);

export const rm: Command = {
  name: 'rm',
  summary: 'delete a schedule (and its history)',
  help: 'Usage: cmdop-scheduler rm ID|NAME [--json]\n',
  args: [1, 1],
  async run(ctx) {
    const client = ctx.client();
    const s = await client.resolve(ctx.positionals[0] as string);
    await client.remove(s.id);
    ctx.out.write(ctx.json ? json({ deleted: true, id: s.id }) : `deleted ${s.id} '${s.name}'\n`);
    return 0;
  },
};
