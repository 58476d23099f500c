// @ts-nocheck
// 
// Fields that come in groups, described once and attached wherever the group appears: a
// run's retry fields on Run and Command, alerts on a schedule's notify, delivery records,
// decision-log entries under the several objects that carry one (openapi-fields.ts).
export type Origin = 'cmdop' | 'ours';
export type Doc = [Origin, string];

const O = (text: string): Doc => ['ours', text];

/** What a run and its command say about retries and how they were started. */
export function attemptDocs(component: 'Run' | 'Command'): Record<string, Doc> {
  return {
    [`${component}.attempt`]: O('1, then 2 for the first retry…'),
    [`${component}.retry_of`]: O("on a retry: the first attempt's command id; else null"),
    [`${component}.shell`]: O('how the command was started, e.g. `/bin/bash -l -c`'),
    [`${component}.env_file`]: O('the dotenv file read, or null'),
    [`${component}.next_retry_at`]: O('when its retry will start, while one waits'),
  };
}

/** A schedule's alerts beyond the desktop (see the README's Alerts). */
export function alertDocs(prefix: string): Record<string, Doc> {
  return {
    [`${prefix}.webhook_url`]: O(
      'http(s) URL POSTed the run (run.succeeded, run.failed, run.timed_out, run.stuck) as on_success/on_failure say; absent or null: none',
    ),
    [`${prefix}.webhook_format`]: O('`json` (ours, the default), `slack` or `discord`'),
    [`${prefix}.ping_url`]: O(
      'health-check pings: `<url>/start`, then `<url>` on success or `<url>/fail` on failure; absent or null: none',
    ),
    [`${prefix}.allow_http`]: O(
      'plain http to a host other than this machine (default: https only)',
    ),
  };
}

/** The alerts sent for a run (this machine's runs). */
export function deliveryDocs(component: 'Run' | 'Command'): Record<string, Doc> {
  const d = `${component}.deliveries`;
  return {
    [d]: O('read-only: the webhooks and pings sent for it, oldest first; absent when none'),
    [`${d}.channel`]: O('`webhook` or `ping`'),
    [`${d}.event`]: O(
      'webhook: run.succeeded, run.failed, run.timed_out, run.stuck; ping: start, success, fail',
    ),
    [`${d}.url`]: O('redacted: `scheme://host[:port]/…` (the URL is a secret)'),
    [`${d}.at`]: O('when the last attempt ended'),
    [`${d}.attempts`]: O('attempts made, at most 3; 0 when it was dropped before any'),
    [`${d}.ok`]: O('whether the receiver took it (2xx)'),
    [`${d}.status_code`]: O("the receiver's HTTP status of the last attempt, or null"),
    [`${d}.error`]: O('why it failed, or null'),
    [`${component}.stuck_at`]: O(
      'read-only, while running: when it was found running long (run.stuck)',
    ),
  };
}

/** The fields of a decision-log entry, under any component that carries one. */
export function decisionDocs(at: string): Record<string, Doc> {
  return {
    [`${at}.id`]: O('`dec_…`'),
    [`${at}.schedule_id`]: O('the schedule'),
    [`${at}.kind`]: O(
      '`ran`, `skipped_overlap`, `skipped_paused`, `skipped_disabled`, `skipped_battery`, `missed`, `caught_up`, `moved_dst` or `retry`',
    ),
    [`${at}.ran`]: O('whether a run started for it'),
    [`${at}.scheduled_for`]: O('the planned (cron) instant; the first of a span'),
    [`${at}.last_scheduled_for`]: O(
      'the last planned instant it stands for (a span of alike fires)',
    ),
    [`${at}.count`]: O('planned fires it stands for (counted up to 1,000)'),
    [`${at}.decided_at`]: O('when the engine decided (the latest, for a span)'),
    [`${at}.reason`]: O(
      'missed: `app_stopped`, `asleep`, `clock_jump`; skipped_paused: `paused` (all) or `schedule_paused`; else null',
    ),
    [`${at}.span_from`]: O(
      'missed or disabled: when the app stopped, the machine slept, the clock jumped, or it was disabled',
    ),
    [`${at}.span_to`]: O('…and when that ended'),
    [`${at}.run_id`]: O('the run that started, `run_…`'),
    [`${at}.command_id`]: O("the run's command; for skipped_overlap, the command still running"),
    [`${at}.attempt`]: O('retry: which attempt (2 for the first retry)'),
    [`${at}.attempts`]: O('retry: attempts in all (1 + retries)'),
    [`${at}.asked`]: O('moved_dst: the local wall time named, e.g. `2026-03-08T02:30:00`'),
    [`${at}.used`]: O('moved_dst: the local wall time it ran at'),
    [`${at}.catch_up`]: O("the schedule's catch_up when decided"),
    [`${at}.message`]: O("the engine's own words"),
  };
}
