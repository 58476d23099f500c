// Schedules as systemd units: a `.service` (what runs) and a `.timer` (when) per schedule,
// for moving to a server. The cron expression becomes `OnCalendar=` in the schedule's zone;
// cron's rule that day-of-month and day-of-week are alternatives (either matches) becomes
// two OnCalendar= lines, since systemd requires both. `catch_up` is `Persistent=`.
import { cronFieldSets } from './cron';
import type { CrontabSchedule, ExportReport } from './crontab-export';

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
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
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
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) || 'schedule';
    const n = (seen.get(slug) ?? 0) + 1;
    seen.set(slug, n);
    return `${prefix}${slug}${n === 1 ? '' : `-${n}`}`;
  });
}

function service(s: SystemdSchedule): string {
  const lines = ['[Unit]', `Description=${s.name.replace(/\n/g, ' ')}`];
  for (const l of s.description.split('\n')) if (l !== '') lines.push(`# ${l}`);
  lines.push('', '[Service]', 'Type=oneshot');
  lines.push(`WorkingDirectory=${s.cwd ?? '~'}`);
  for (const [key, value] of Object.entries(s.env)) {
    lines.push(`Environment=${quoted(`${key}=${value}`)}`);
  }
  if (s.timeout !== null) lines.push(`TimeoutStartSec=${Math.ceil(s.timeout / 1000)}s`);
  const shell = s.env.SHELL ?? '/bin/sh';
  lines.push(`ExecStart=${shell} -c ${execQuoted(s.command)}`);
  return `${lines.join('\n')}\n`;
}

function timer(s: SystemdSchedule, unit: string, reports: ExportReport[]): string {
  const lines = ['[Unit]', `Description=${s.name.replace(/\n/g, ' ')} (timer)`, '', '[Timer]'];
  for (const calendar of cronToOnCalendar(s.cron, s.timezone)) lines.push(`OnCalendar=${calendar}`);
  lines.push(`Persistent=${s.catch_up ? 'true' : 'false'}`);
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
    files.push({ name: `${unit}.service`, content: service(s) });
    files.push({ name: `${unit}.timer`, content: timer(s, unit, reports) });
    if (s.overlap === 'allow') {
      reports.push({ name: s.name, message: 'overlap allow: systemd never starts a unit twice' });
    }
  });
  return { files, reports };
}
