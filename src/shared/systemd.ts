// Schedules as systemd units: a `.service` (what runs) and a `.timer` (when) per schedule,
// for moving to a server. The cron expression becomes `OnCalendar=` in the schedule's zone;
// cron's rule that day-of-month and day-of-week are alternatives (either matches) becomes
// two OnCalendar= lines, since systemd requires both. `catch_up` is `Persistent=`; the run
// policies map where systemd has the same thing: random_delay is RandomizedDelaySec= with
// FixedRandomDelay=, env_file EnvironmentFile=, run_on_battery ConditionACPower=, a login
// shell `-l`, and retries Restart=on-failure bounded by the start limit.
import { cronFieldSets } from './cron';
import { alertReports, type CrontabSchedule, type ExportReport } from './crontab-export';
import { RETRY_DELAY_MAX } from './schemas';

export interface SystemdSchedule extends CrontabSchedule {
  overlap: 'skip' | 'allow';
}

export interface UnitFile {
  name: string;
  content: string;
}

export interface SystemdExport {
  files: UnitFile[];
  reports: ExportReport[];
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A set of values as systemd writes it: runs of three or more as `a..b`, else a list. */
function values(set: Set<number> | null, pad: number, names?: string[]): string {
  if (set === null) return '*';
  const sorted = [...set].sort((a, b) => a - b);
  const show = (v: number) => names?.[v] ?? String(v).padStart(pad, '0');
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    // Past the end, sorted[j + 1] is undefined: the run ends there.
    while (sorted[j + 1] === (sorted[j] as number) + 1) j++;
    const from = sorted[i] as number;
    const to = sorted[j] as number;
    if (j - i >= 2) parts.push(`${show(from)}..${show(to)}`);
    else for (let k = i; k <= j; k++) parts.push(show(sorted[k] as number));
    i = j + 1;
  }
  return parts.join(',');
}

/** `OnCalendar=` values equivalent to a cron expression (one, or two for cron's OR rule). */
export function cronToOnCalendar(cron: string, timezone: string): string[] {
  const f = cronFieldSets(cron);
  const time = `${values(f.hour, 2)}:${values(f.minute, 2)}:${f.hasSeconds ? values(f.second, 2) : '00'}`;
  const date = (dom: Set<number> | null) => `*-${values(f.month, 2)}-${values(dom, 2)}`;
  const zone = ` ${timezone}`;
  const withDow = (dow: Set<number> | null) =>
    dow === null ? '' : `${values(dow, 0, DAY_NAMES)} `;
  if (f.dayOfMonth !== null && f.dayOfWeek !== null) {
    return [
      `${date(f.dayOfMonth)} ${time}${zone}`,
      `${withDow(f.dayOfWeek)}${date(null)} ${time}${zone}`,
    ];
  }
  return [`${withDow(f.dayOfWeek)}${date(f.dayOfMonth)} ${time}${zone}`];
}

/** A unit-file value in double quotes: C escapes, `%` specifiers and `$` expansion disarmed. */
function quoted(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/%/g, '%%');
  return `"${escaped}"`;
}

/** For ExecStart=, where `$NAME` would be expanded by systemd before the shell sees it. */
const execQuoted = (text: string) => quoted(text).replace(/\$/g, '$$$$');

/** Unit names from schedule names: lower-case words joined by dashes, unique. */
export function unitNames(names: string[], prefix = 'cmdop-'): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const slug =
      name
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        // The line above leaves single dashes only.
        .replace(/^-|-$/g, '')
        .slice(0, 60) || 'schedule';
    const n = (seen.get(slug) ?? 0) + 1;
    seen.set(slug, n);
    return `${prefix}${slug}${n === 1 ? '' : `-${n}`}`;
  });
}

/** The waits before each retry, as the engine makes them (retries.ts). */
function retryWaits(s: SystemdSchedule): number[] {
  const delay = s.retry_delay ?? 60_000;
  const backoff = s.retry_backoff ?? 2;
  return Array.from({ length: s.retries ?? 0 }, (_, i) =>
    Math.min(delay * backoff ** i, RETRY_DELAY_MAX),
  );
}

function service(s: SystemdSchedule, reports: ExportReport[]): string {
  const lines = ['[Unit]', `Description=${s.name.replace(/\n/g, ' ')}`];
  for (const l of s.description.split('\n')) if (l !== '') lines.push(`# ${l}`);
  // Skipped, not failed, on battery; a later return to AC does not bring it back.
  if (s.run_on_battery === false) lines.push('ConditionACPower=true');
  const waits = retryWaits(s);
  if (waits.length > 0) {
    // Restart= has no count of its own: the start limit stops it after the last retry.
    const window = waits.reduce((a, b) => a + b, 0) + 60_000 * (waits.length + 1);
    lines.push(`StartLimitIntervalSec=${Math.ceil(window / 1000)}s`);
    lines.push(`StartLimitBurst=${waits.length + 1}`);
  }
  lines.push('', '[Service]', 'Type=oneshot');
  lines.push(`WorkingDirectory=${s.cwd ?? '~'}`);
  for (const [key, value] of Object.entries(s.env)) {
    lines.push(`Environment=${quoted(`${key}=${value}`)}`);
  }
  // Read at each start; a missing file fails the start, as a missing env_file fails a run.
  if (s.env_file) lines.push(`EnvironmentFile=${s.env_file}`);
  if (s.timeout !== null) lines.push(`TimeoutStartSec=${Math.ceil(s.timeout / 1000)}s`);
  if (waits.length > 0) {
    lines.push('Restart=on-failure', `RestartSec=${Math.round(waits[0] as number)}ms`);
    const grows = waits.some((w) => w !== waits[0]);
    reports.push({
      name: s.name,
      message:
        `retries ${waits.length}: Restart=on-failure, at most ${waits.length} restarts within ` +
        "StartLimitIntervalSec= (the timer's own starts count there too)" +
        (grows
          ? `; every restart waits ${Math.round((waits[0] as number) / 1000)} s, without the backoff`
          : ''),
    });
  }
  const shell = s.env.SHELL ?? '/bin/sh';
  const login = s.shell === 'login' ? ' -l' : '';
  lines.push(`ExecStart=${shell}${login} -c ${execQuoted(s.command)}`);
  return `${lines.join('\n')}\n`;
}

function timer(s: SystemdSchedule, unit: string, reports: ExportReport[]): string {
  const lines = ['[Unit]', `Description=${s.name.replace(/\n/g, ' ')} (timer)`, '', '[Timer]'];
  for (const calendar of cronToOnCalendar(s.cron, s.timezone)) lines.push(`OnCalendar=${calendar}`);
  lines.push(`Persistent=${s.catch_up ? 'true' : 'false'}`);
  if (s.random_delay) {
    // The same offset every time, from the machine, user and unit name (systemd >= 247).
    lines.push(`RandomizedDelaySec=${s.random_delay}ms`, 'FixedRandomDelay=true');
    reports.push({
      name: s.name,
      message: `random delay: systemd draws its own fixed offset below ${Math.round(s.random_delay / 1000)} s`,
    });
  }
  // systemd's default accuracy is a minute; cron fires on the minute.
  lines.push('AccuracySec=1s', `Unit=${unit}.service`, '', '[Install]', 'WantedBy=timers.target');
  if (!s.enabled) {
    reports.push({
      name: s.name,
      message: `disabled: ${unit}.timer is written but should not be enabled`,
    });
    lines.unshift('# Disabled in Cmdop Scheduler: do not enable this timer.');
  }
  return `${lines.join('\n')}\n`;
}

/** A `.service` + `.timer` pair per schedule. */
export function formatSystemdUnits(schedules: SystemdSchedule[]): SystemdExport {
  const reports: ExportReport[] = [];
  const names = unitNames(schedules.map((s) => s.name));
  const files: UnitFile[] = [];
  schedules.forEach((s, i) => {
    const unit = names[i] as string;
    files.push({ name: `${unit}.service`, content: service(s, reports) });
    files.push({ name: `${unit}.timer`, content: timer(s, unit, reports) });
    if (s.overlap === 'allow') {
      reports.push({ name: s.name, message: 'overlap allow: systemd never starts a unit twice' });
    }
    if (s.paused_until) {
      reports.push({
        name: s.name,
        message: `paused until ${s.paused_until}: systemd has no timed pause; enable the timer then`,
      });
    }
    for (const message of alertReports(s)) reports.push({ name: s.name, message });
    if (s.run_on_battery === false && s.catch_up) {
      reports.push({
        name: s.name,
        message:
          'run on AC only: ConditionACPower= skips it; Persistent= does not run it when AC returns',
      });
    }
  });
  return { files, reports };
}
