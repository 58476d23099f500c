// Reads a crontab (`crontab -l` output, or a system crontab with its user column) into
// schedules, as cron itself would read it: environment lines apply to every line after
// them, `CRON_TZ=`/`TZ=` set the zone, `%` feeds standard input. Every line that does not
// become a schedule is reported with its number and the reason: nothing is dropped quietly.
// Pure: the CLI, the server and the UI's import preview all use it.
import { cronError, timeZoneError } from './cron';
import {
  DESCRIPTION_MAX,
  NAME_MAX,
  RANDOM_DELAY_MAX,
  parseInput,
  scheduleCreateSchema,
  type ScheduleCreateInput,
} from './schemas';
import { ApiError } from './errors';

export interface CrontabImportOptions {
  /** A system crontab (`/etc/crontab`, `/etc/cron.d/*`): a user column before the command. */
  system?: boolean;
  /** The zone of lines with no `CRON_TZ=`/`TZ=` before them: cron uses the machine's own. */
  timezone: string;
  /** The user the schedules will run as, to say when a system line named someone else. */
  currentUser?: string;
}

export type LineLevel = 'note' | 'skipped';

/** One line that needs the user's attention: a note (imported, but read this) or skipped. */
export interface LineReport {
  line: number;
  level: LineLevel;
  text: string;
  message: string;
}

export interface CrontabEntry {
  /** The 1-based line the schedule came from. */
  line: number;
  schedule: ScheduleCreateInput & {
    name: string;
    command: string;
    cron: string;
    timezone: string;
    env: Record<string, string>;
    cwd: string | null;
    enabled: boolean;
    description: string;
    random_delay?: number;
  };
}

export interface CrontabImport {
  entries: CrontabEntry[];
  reports: LineReport[];
}

/** Cron mails output; this app notifies instead. These are read and noted, never applied. */
const MAIL_VARIABLES = ['MAILTO', 'MAILFROM', 'CONTENT_TYPE', 'CONTENT_TRANSFER_ENCODING'];
/** cronie's scheduling knobs with no counterpart here. */
const UNSUPPORTED_VARIABLES = ['CRON_CORRECT_DST'];
/** cronie's RANDOM_DELAY (minutes): our random_delay, for the lines after it. */
export const RANDOM_DELAY_VARIABLE = 'RANDOM_DELAY';

/** `NAME=value`, spaces around `=` allowed and quotes stripped, as cron's load_env reads it. */
const ENV_LINE = /^\s*(['"]?)([^\s='"]+)\1\s*=\s*(.*?)\s*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The column header of the crontab template (`# m h  dom mon dow   command`). */
const TEMPLATE_HEADER = /^m\s+h\s+dom\s+mon\s+dow\b/;
/** What our own crontab export writes before a disabled schedule's line. */
export const DISABLED_PREFIX = 'disabled: ';
/** The here-document delimiter we write for cron's `%` standard input. */
export const STDIN_DELIMITER = 'CMDOP_STDIN';

function unquote(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) return value.slice(1, -1);
  return value;
}

/** Shell single-quoting, for paths we write into commands. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * cron's `%`: the first unescaped `%` ends the command and the rest is its standard input,
 * each further `%` a newline; `\%` is a literal `%`. Written as a here-document, wrapped in
 * braces when the command is more than one simple command (cron feeds the whole shell).
 */
export function percentToStdin(raw: string): { command: string; stdin: string | null } {
  const parts: string[] = [''];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\' && raw[i + 1] === '%') {
      parts[parts.length - 1] += '%';
      i++;
    } else if (c === '%') {
      parts.push('');
    } else {
      parts[parts.length - 1] += c;
    }
  }
  // Stryker disable next-line StringLiteral: parts always has a first element
  const [command = '', ...input] = parts;
  if (input.length === 0) return { command, stdin: null };
  return { command, stdin: `${input.join('\n')}\n` };
}

export function withHereDoc(command: string, stdin: string): string {
  let delimiter = STDIN_DELIMITER;
  for (let n = 2; stdin.split('\n').includes(delimiter); n++) delimiter = `${STDIN_DELIMITER}_${n}`;
  const compound = /[;&|()\n]/.test(command);
  const head = compound ? `{\n${command}\n}` : command.trimEnd();
  return `${head} <<'${delimiter}'\n${stdin}${delimiter}`;
}

/** `cd /abs/path && rest`: the folder becomes the schedule's working directory. */
function leadingCd(command: string): { cwd: string; command: string } | null {
  const m = /^cd\s+('([^']*)'|([^\s'"\\;&|$`]+))\s*&&\s*(\S[\s\S]*)/.exec(command);
  const path = m?.[2] ?? m?.[3];
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a match has one of the paths
  if (!m || path === undefined || !path.startsWith('/')) return null;
  return { cwd: path, command: m[4] as string };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A crontab line's command is one trimmed line. */
function nameFromCommand(command: string): string {
  return clip(command.replace(/\s+/g, ' '), 60);
}

interface State {
  env: Record<string, string>;
  timezone: string;
  /** Set when the last CRON_TZ/TZ line named a zone that does not exist. */
  badZone: { line: number; zone: string } | null;
  cwd: string | null;
  comments: string[];
  /** ms, from the last RANDOM_DELAY= line. */
  randomDelay: number;
}

/**
 * Splits `count` whitespace-separated fields off the front of a trimmed text; the rest is
 * kept verbatim, and is never empty (the text does not end in a blank).
 */
function splitFields(text: string, count: number): { fields: string[]; rest: string } | null {
  const fields: string[] = [];
  let rest = text;
  for (let i = 0; i < count; i++) {
    // Stryker disable next-line Regex: rest starts at a field, so a match is at 0 either way
    const m = /^(\S+)\s+/.exec(rest);
    if (!m) return null;
    fields.push(m[1] as string);
    rest = rest.slice(m[0].length);
  }
  return { fields, rest };
}

/** The schedule and user/command parts of a job line, or a reason it is not one. */
function splitJob(
  text: string,
  system: boolean,
): { cron: string; user: string | null; command: string } | { error: string } {
  const trimmed = text.trim();
  const userCols = system ? 1 : 0;
  const usage = system
    ? 'expected five time fields (or a @macro), a user and a command'
    : 'expected five time fields (or a @macro) and a command';
  if (trimmed.startsWith('@')) {
    const split = splitFields(trimmed, 1 + userCols);
    if (!split) return { error: usage };
    // Stryker disable next-line StringLiteral: a split has its fields
    const [macro = '', user = null] = split.fields;
    return { cron: macro, user, command: split.rest };
  }
  const split = splitFields(trimmed, 5 + userCols);
  if (!split) return { error: usage };
  return {
    cron: split.fields.slice(0, 5).join(' '),
    user: system ? (split.fields[5] as string) : null,
    command: split.rest,
  };
}

function takeComments(state: State): { name: string | null; description: string } {
  const lines = state.comments.filter((c) => !TEMPLATE_HEADER.test(c.trim()));
  state.comments = [];
  // Comments come from trimmed lines: a blank one is ''.
  while (lines[0] === '') lines.shift();
  const [first, ...rest] = lines;
  if (first === undefined) return { name: null, description: '' };
  return { name: first.trim(), description: rest.join('\n').trim() };
}

function applyEnv(state: State, line: number, text: string, reports: LineReport[]): boolean {
  const m = ENV_LINE.exec(text);
  if (!m) return false;
  const name = m[2] as string;
  const value = unquote(m[3] as string);
  const report = (level: LineLevel, message: string) =>
    reports.push({ line, level, text, message });
  if (name === 'CRON_TZ' || name === 'TZ') {
    const problem = timeZoneError(value);
    state.badZone = problem ? { line, zone: value } : null;
    if (problem) report('skipped', `${name}: ${problem}; the lines after it are skipped`);
    else state.timezone = value;
    if (name === 'TZ') state.env.TZ = value; // cron also hands TZ to the command
    return true;
  }
  if (MAIL_VARIABLES.includes(name)) {
    report(
      'note',
      `${name} does not apply: output is kept in each run's history and failures notify on the desktop`,
    );
    return true;
  }
  if (name === RANDOM_DELAY_VARIABLE) {
    const minutes = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(minutes)) {
      report('note', `${name} must be a whole number of minutes; ignored`);
      return true;
    }
    const capped = Math.min(minutes, RANDOM_DELAY_MAX / 60_000);
    state.randomDelay = capped * 60_000;
    if (capped < minutes) report('note', `${name}=${minutes}: at most ${capped} minutes here`);
    return true;
  }
  if (UNSUPPORTED_VARIABLES.includes(name)) {
    report('note', `${name} is not supported and was ignored`);
    return true;
  }
  if (!ENV_NAME.test(name)) {
    report('skipped', `'${name}' is not a valid variable name (letters, digits, _)`);
    return true;
  }
  state.env[name] = value;
  // cron starts each job in $HOME.
  if (name === 'HOME' && value.startsWith('/')) state.cwd = value;
  return true;
}

function problemsOf(schedule: CrontabEntry['schedule']): string | null {
  try {
    // Stryker disable next-line StringLiteral: only the error's message names it; fields are read
    parseInput(scheduleCreateSchema, schedule, 'schedule');
    return null;
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: parseInput throws only ApiErrors
    if (e instanceof ApiError) {
      const fields = (e.details.fields ?? {}) as Record<string, string>;
      return Object.entries(fields)
        .map(([f, why]) => `${f} ${why}`)
        .join('; ');
    }
    throw e;
  }
}

/** `# disabled: <a valid job line>`, as our export writes a disabled schedule. */
function isDisabledJob(comment: string, system: boolean): boolean {
  if (!comment.startsWith(DISABLED_PREFIX)) return false;
  const job = splitJob(comment.slice(DISABLED_PREFIX.length), system);
  return !('error' in job) && cronError(job.cron) === null;
}

/** Reads a crontab's text into schedules and per-line reports. */
export function parseCrontab(text: string, options: CrontabImportOptions): CrontabImport {
  const entries: CrontabEntry[] = [];
  const reports: LineReport[] = [];
  const state: State = {
    env: {},
    timezone: options.timezone,
    badZone: null,
    cwd: null,
    comments: [],
    randomDelay: 0,
  };
  // A last empty line (after the final newline) is a blank line: it changes nothing.
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      state.comments = [];
      return;
    }
    let enabled = true;
    let jobText = raw;
    if (trimmed.startsWith('#')) {
      // Stryker disable next-line Regex: the trimmed line starts with its #
      const comment = trimmed.replace(/^#\s?/, '');
      if (!isDisabledJob(comment, options.system ?? false)) {
        state.comments.push(comment);
        return;
      }
      enabled = false;
      jobText = comment.slice(DISABLED_PREFIX.length);
    } else if (applyEnv(state, line, raw, reports)) {
      return;
    }
    const report = (level: LineLevel, message: string) =>
      reports.push({ line, level, text: raw, message });
    const job = splitJob(jobText, options.system ?? false);
    if ('error' in job) {
      state.comments = [];
      return report('skipped', `not a crontab line: ${job.error}`);
    }
    const { name: commentName, description: commentText } = takeComments(state);
    if (job.cron.toLowerCase() === '@reboot') {
      return report('skipped', '@reboot is not supported: schedules run on time, not at boot');
    }
    const problem = cronError(job.cron);
    if (problem) {
      // Known macros, in any case, have no problem.
      const macro = job.cron.startsWith('@');
      return report(
        'skipped',
        `unsupported schedule '${job.cron}': ${macro ? 'unknown macro' : problem}`,
      );
    }
    if (state.badZone) {
      return report(
        'skipped',
        `its time zone '${state.badZone.zone}' (line ${state.badZone.line}) is unknown`,
      );
    }
    const { command: beforeStdin, stdin } = percentToStdin(job.command);
    if (stdin !== null) {
      report(
        'note',
        "'%' sends the text after it to the command's standard input, as cron does (write \\% for a literal %)",
      );
    }
    let command = beforeStdin.trim();
    let cwd = state.cwd;
    const cd = leadingCd(command);
    if (cd) ({ cwd, command } = cd);
    const shortName = nameFromCommand(command);
    if (stdin !== null) command = withHereDoc(command, stdin);
    const notes: string[] = [];
    if (job.user !== null && job.user !== options.currentUser) {
      notes.push(`cron ran it as user '${job.user}'`);
      report(
        'note',
        `cron ran this as '${job.user}'; it will run as ${options.currentUser ? `'${options.currentUser}'` : 'you'}`,
      );
    }
    const description = [commentText, ...notes].filter((s) => s !== '').join('\n');
    const schedule: CrontabEntry['schedule'] = {
      name: clip(commentName || shortName || `line ${line}`, NAME_MAX),
      description: clip(description, DESCRIPTION_MAX),
      machine_id: 'local',
      command,
      cron: job.cron,
      timezone: state.timezone,
      env: { ...state.env },
      cwd,
      enabled,
      ...(state.randomDelay > 0 ? { random_delay: state.randomDelay } : {}),
    };
    const invalid = problemsOf(schedule);
    if (invalid) return report('skipped', `cannot be imported: ${invalid}`);
    entries.push({ line, schedule });
  });
  return { entries, reports };
}

/** Whether a file path is a system crontab (a user column): `/etc/crontab`, `/etc/cron.d/*`. */
export function isSystemCrontabPath(path: string): boolean {
  return path === '/etc/crontab' || /^\/etc\/cron\.d\/[^/]+$/.test(path);
}
