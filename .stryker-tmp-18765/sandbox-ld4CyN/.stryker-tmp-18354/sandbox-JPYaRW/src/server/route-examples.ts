// @ts-nocheck
// 
// The example objects of the API reference (docs/api.md, the OpenAPI document), shaped as
// Cmdop's docs show them where Cmdop defines the object. A test validates each against the
// schema of its route, so an example cannot show a field the server does not send.
import { whySentence } from '../shared/decision-sentence';
import type { Decision } from '../shared/decisions-api';
import { CMDOP_PERMISSIONS } from '../shared/identity';

const schedule = {
  id: 'sched_abc123',
  name: 'Daily Backup',
  description: 'Backup production database every night',
  machine_id: 'mach_xyz789',
  command: 'pg_dump mydb > /backup/db.sql',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'America/New_York',
  timeout: 300000,
  notify: { on_success: false, on_failure: true },
  next_run: '2024-01-21T08:00:00Z',
  last_run: { at: '2024-01-20T08:00:00Z', exit_code: 0, duration: 15000, status: 'success' },
  created_at: '2024-01-15T10:30:00Z',
  updated_at: '2024-01-18T14:20:00Z',
  cwd: null,
  env: {},
  overlap: 'skip',
  catch_up: false,
  retries: 2,
  retry_delay: 60000,
  retry_backoff: 2,
  random_delay: 0,
  shell: 'login',
  env_file: null,
  paused_until: null,
  run_on_battery: true,
  running: false,
  stats: {
    runs_24h: 1,
    failures_24h: 0,
    last_failure_at: null,
    recent: [{ at: '2024-01-20T08:00:00Z', status: 'success', duration: 15000 }],
  },
};

const run = {
  id: 'run_abc123',
  started_at: '2024-01-20T08:00:00Z',
  finished_at: '2024-01-20T08:00:15Z',
  exit_code: 0,
  duration: 15000,
  stdout: '...',
  stderr: '',
  schedule_id: 'sched_abc123',
  command_id: 'cmd_abc123',
  trigger: 'schedule',
  status: 'success',
  scheduled_for: '2024-01-20T08:00:00Z',
  signal: null,
  truncated: false,
  attempt: 1,
  retry_of: null,
  shell: '/bin/bash -l -c',
  env_file: null,
};

const command = {
  id: 'cmd_xyz789',
  status: 'completed',
  machine_id: 'mach_xyz789',
  command: 'ls -la /var/log',
  exit_code: 0,
  stdout: 'total 48\ndrwxr-xr-x 6 root root 4096 Jan 20 12:00 .\n',
  stderr: '',
  started_at: '2024-01-20T15:45:00Z',
  finished_at: '2024-01-20T15:45:00Z',
  duration: 150,
  command_id: 'cmd_xyz789',
  run_id: 'run_xyz789',
  run_status: 'success',
  schedule_id: 'adhoc',
  trigger: 'manual',
  scheduled_for: null,
  signal: null,
  truncated: false,
  attempt: 1,
  retry_of: null,
  shell: '/bin/bash -c',
  env_file: null,
};

const machine = {
  id: 'mach_xyz789',
  name: 'prod-1',
  status: 'online',
  os: 'linux',
  arch: 'amd64',
  hostname: 'prod-1.example.com',
  ip: '192.168.1.100',
  tags: ['local'],
  agent_version: '0.1.0',
  created_at: '2024-01-15T10:30:00Z',
  last_seen: '2024-01-20T15:45:00Z',
};

const backup = {
  id: 'config-20240120T030000Z-daily.json',
  kind: 'daily',
  created_at: '2024-01-20T03:00:00Z',
  size: 4096,
  schedules: 12,
};

/** `30 2 * * *` in New York across the March change: the first fire is moved by the gap. */
const fires = [
  {
    at: '2026-03-08T07:30:00Z',
    scheduled_for: '2026-03-08T07:30:00Z',
    local: '2026-03-08T03:30:00',
    utc_offset: '-04:00',
    dst: 'moved',
    moved_from: '2026-03-08T02:30:00',
    paused: false,
  },
  {
    at: '2026-03-09T06:30:00Z',
    scheduled_for: '2026-03-09T06:30:00Z',
    local: '2026-03-09T02:30:00',
    utc_offset: '-04:00',
    dst: null,
    moved_from: null,
    paused: false,
  },
];

const firesMeta = {
  cron: '30 2 * * *',
  timezone: 'America/New_York',
  from: '2026-03-07T12:00:00Z',
  count: 2,
  horizon: '2126-03-07T12:00:00Z',
  random_delay: 0,
  delay: 0,
  fixed_time: true,
  request_id: 'req_abc123',
};

/** The fire at 03:00 in New York on 20 Jan 2024, missed while the app was off. */
const decision = {
  id: 'dec_abc123',
  schedule_id: 'sched_abc123',
  kind: 'missed',
  ran: false,
  scheduled_for: '2024-01-20T08:00:00Z',
  last_scheduled_for: '2024-01-20T08:00:00Z',
  count: 1,
  decided_at: '2024-01-20T12:02:00Z',
  reason: 'app_stopped',
  span_from: '2024-01-20T03:14:00Z',
  span_to: '2024-01-20T12:02:00Z',
  run_id: null,
  command_id: null,
  attempt: null,
  attempts: null,
  asked: null,
  used: null,
  catch_up: false,
  message: 'the app was not running; catch-up is off',
};

const decisionAt = {
  schedule_id: 'sched_abc123',
  timezone: 'America/New_York',
  time: '2024-01-20T08:00:00Z',
  planned: true,
  fire: '2024-01-20T08:00:00Z',
  nearest: [],
  decision: decision as Decision,
  related: [],
};

export const EXAMPLES = {
  schedule,
  notifyTest: {
    notify: {
      webhook_url: 'https://hooks.slack.com/services/T000/B000/XXXX',
      webhook_format: 'slack',
    },
  },
  notifyTestResult: {
    ok: false,
    results: [
      {
        channel: 'webhook',
        url: 'https://hooks.slack.com/…',
        ok: true,
        status_code: 200,
        error: null,
      },
      {
        channel: 'ping',
        url: 'https://hc-ping.com/…/start',
        ok: false,
        status_code: 404,
        error: 'the receiver answered 404',
      },
    ],
  },
  scheduleCreate: {
    name: 'Daily Backup',
    machine_id: 'local',
    command: 'pg_dump mydb > /backup/db.sql',
    cron: '0 3 * * *',
    timezone: 'America/New_York',
    notify: { on_failure: true },
  },
  run,
  command,
  commandRun: { machine_id: 'local', command: 'ls -la /var/log', timeout: 30000 },
  machine,
  machineStatus: {
    connected: true,
    uptime: 86400,
    last_ping: '2024-01-20T15:45:00Z',
    cpu: { usage: 45.2, cores: 4 },
    memory: { total: 8589934592, used: 4294967296, free: 4294967296 },
    disk: { total: 107374182400, used: 53687091200, free: 53687091200 },
  },
  identity: {
    id: 'local',
    email: null,
    name: 'Local API token',
    plan: 'local',
    permissions: [...CMDOP_PERMISSIONS],
    auth: 'token',
  },
  settings: {
    notifications: { muted: false },
    history: { max_runs: 1000, max_age_days: 90 },
    paused: false,
    paused_until: null,
    local_api: { enabled: false, port: 7878 },
    remote: {
      url: null,
      token_set: false,
      source: 'settings',
      connected: false,
      token_encrypted: false,
      token_unreadable: null,
    },
    server: {
      mode: 'headless',
      url: 'http://127.0.0.1:7878',
      token: '3q2-…',
      token_source: 'generated',
    },
    start_at_login: null,
    storage: { ok: true, problem: null },
  },
  backup,
  fires,
  firesMeta,
  decision,
  decisionAt: { ...decisionAt, sentence: whySentence(decisionAt, Date.UTC(2024, 0, 21)) },
};
