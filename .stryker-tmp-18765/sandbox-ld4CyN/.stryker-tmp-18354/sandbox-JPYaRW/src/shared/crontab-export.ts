// @ts-nocheck
// 
// Writes schedules as a user crontab that cron runs the same way, and that our own import
// reads back into the same schedules: names and descriptions as the comments above each
// line, environment as NAME=value lines, zones as CRON_TZ=, a working directory as
// `cd DIR &&`, here-document standard input back as cron's `%`. What cron cannot express
// is reported per schedule, never dropped quietly.
import {
  DISABLED_PREFIX,
  RANDOM_DELAY_VARIABLE,
  STDIN_DELIMITER,
  shellQuote,
} from './crontab-import';
import type { PolicyFields } from './policy-fields';
import { redactUrl } from './alert-url';
import type { Notify } from './types';

/** The fields a crontab line can carry (the export format's schedule has them all). */
export interface CrontabSchedule {
  name: string;
  description: string;
  command: string;
  cron: string;
  enabled: boolean;
  timezone: string;
  env: Record<string, string>;
  cwd: string | null;
  timeout: number | null;
  catch_up: boolean;
  /** Absent on schedules of a server that does not have them: their defaults. */
  retries?: number;
  retry_delay?: number;
  retry_backoff?: number;
  random_delay?: number;
  shell?: PolicyFields['shell'];
  env_file?: string | null;
  paused_until?: string | null;
  run_on_battery?: boolean;
  /** Only its alerts matter here: cron and systemd have no webhooks or pings of their own. */
  notify?: Partial<Pick<Notify, 'webhook_url' | 'ping_url'>>;
}

/** What cron cannot do of a schedule's run policies, in words; RANDOM_DELAY is written. */
export function policyReports(s: CrontabSchedule): string[] {
  const out: string[] = [];
  if (s.retries) out.push(`retries ${s.retries}: cron does not retry a failed run`);
  if (s.shell === 'login') {
    out.push("login shell: cron runs the command without your profile's PATH and variables");
  }
  if (s.env_file) out.push(`env_file ${s.env_file}: cron does not read env files`);
  if (s.paused_until) out.push(`paused until ${s.paused_until}: cron has no timed pause`);
  if (s.run_on_battery === false) out.push('run_on_battery false: cron runs on battery power too');
  return out;
}

/**
 * Alerts neither cron nor systemd send, in words, with the URL redacted (reports are printed)
 * and the curl line that does a ping by hand.
 */
export function alertReports(s: Pick<CrontabSchedule, 'notify'>): string[] {
  const out: string[] = [];
  const n = s.notify;
  if (n?.webhook_url) {
    out.push(`webhook ${redactUrl(n.webhook_url)}: not sent; cron and systemd have no webhooks`);
  }
  if (n?.ping_url) {
    out.push(
      `ping ${redactUrl(n.ping_url)}: not sent; append \`&& curl -fsS -m 10 --retry 3 -o /dev/null ` +
        '<your ping URL>` to the command for a success ping',
    );
  }
  return out;
}

export interface ExportReport {
  name: string;
  message: string;
}

export interface CrontabExport {
  text: string;
  reports: ExportReport[];
}

const HEREDOC = new RegExp(`^([\\s\\S]*?) <<'(${STDIN_DELIMITER}(?:_\\d+)?)'\\n([\\s\\S]*)\\2$`);

/** Splits off a here-document we wrote for cron's `%` (see percentToStdin). */
function splitHereDoc(command: string): { head: string; stdin: string | null } {
  const m = HEREDOC.exec(command);
  if (!m || !(m[3] as string).endsWith('\n')) return { head: command, stdin: null };
  let head = m[1] as string;
  if (head.startsWith('{\n') && head.endsWith('\n}')) head = head.slice(2, -2);
  return { head, stdin: (m[3] as string).slice(0, -1) };
}

/** cron treats an unescaped `%` as the start of standard input. */
const escapePercent = (text: string) => text.replace(/%/g, '\\%');

/** One crontab line's command: cron reads up to the end of the line, so no newlines. */
function cronCommand(command: string, cwd: string | null, home: string | undefined): string {
  const { head, stdin } = splitHereDoc(command);
  let body = head;
  if (body.includes('\n')) {
    // A multi-line script: rebuilt by the shell from one line, each line quoted.
    const lines = body.split('\n').map(shellQuote).join(' ');
    body = `eval "$(printf '%s\\n' ${lines})"`;
  }
  if (cwd !== null && cwd !== home) body = `cd ${shellQuote(cwd)} && ${body}`;
  const line = escapePercent(body);
  if (stdin === null) return line;
  return `${line}%${stdin.split('\n').map(escapePercent).join('%')}`;
}

function quoteEnvValue(value: string): string {
  // cron strips one pair of matching quotes, and trailing spaces of unquoted values.
  return value === '' || /^\s|\s$|^['"]/.test(value) ? `"${value}"` : value;
}

function commentLines(text: string): string[] {
  return text === '' ? [] : text.split('\n').map((l) => (l === '' ? '#' : `# ${l}`));
}

/** A user crontab holding the schedules, with a header saying where it came from. */
export function formatCrontab(schedules: CrontabSchedule[], header: string[] = []): CrontabExport {
  const out: string[] = [
    ...header.map((h) => `# ${h}`),
    '# CRON_TZ needs a cron that supports it (cronie: Fedora, RHEL, Arch; not Debian cron).',
  ];
  const reports: ExportReport[] = [];
  const env: Record<string, string> = {};
  let zone: string | null = null;
  let randomMinutes = 0;
  for (const s of schedules) {
    const report = (message: string) => reports.push({ name: s.name, message });
    out.push('');
    if (s.cron.trim().split(/\s+/).length === 6) {
      report(`not exported: '${s.cron}' has a seconds field, which cron cannot express`);
      out.push(`# ${s.name}: not exported, '${s.cron}' has seconds`);
      continue;
    }
    // cron cannot unset a variable an earlier line set: unset it in the command itself.
    const unset = Object.keys(env).filter((k) => !(k in s.env));
    for (const [key, value] of Object.entries(s.env)) {
      if (env[key] === value) continue;
      env[key] = value;
      out.push(`${key}=${quoteEnvValue(value)}`);
      if (key === 'TZ') zone = value; // our import reads TZ= as the zone too
    }
    if (zone !== s.timezone) {
      out.push(`CRON_TZ=${s.timezone}`);
      zone = s.timezone;
    }
    // cronie's RANDOM_DELAY, in whole minutes, for the lines after it (other crons ignore it).
    const minutes = Math.ceil((s.random_delay ?? 0) / 60_000);
    if (minutes !== randomMinutes) {
      out.push(`${RANDOM_DELAY_VARIABLE}=${minutes}`);
      randomMinutes = minutes;
    }
    if (minutes * 60_000 !== (s.random_delay ?? 0)) {
      report(
        `random delay ${s.random_delay} ms: written as RANDOM_DELAY=${minutes} (whole minutes)`,
      );
    }
    out.push(...commentLines(s.name), ...commentLines(s.description));
    let command = cronCommand(s.command, s.cwd, env.HOME);
    if (unset.length) command = `unset ${unset.join(' ')}; ${command}`;
    out.push(`${s.enabled ? '' : `# ${DISABLED_PREFIX}`}${s.cron} ${command}`);
    if (s.timeout !== null) report(`timeout ${s.timeout / 1000} s: cron has no timeout`);
    if (s.catch_up) report('catch-up after downtime: cron does not catch up (anacron does)');
    for (const message of [...policyReports(s), ...alertReports(s)]) report(message);
  }
  return { text: `${out.join('\n')}\n`, reports };
}
