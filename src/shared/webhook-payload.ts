// What a webhook receives (ours): one event about one run, as our JSON, as Slack's (and
// Mattermost's) `{"text"}`, or as a Discord message. Pure: the sending is core/alerts.
//
// Output of the user's command goes into chat messages, so it is quoted as code and cannot
// mention anyone: Slack's `<!channel>` is escaped, Discord's mentions are turned off.
import { attemptsText, clip, endedHow, formatDuration, visibleText } from './notice-text';
import { formatTimestamp } from './time';
import type { Notify, Run, RunStatus, WebhookFormat } from './types';

export const PAYLOAD_VERSION = 1;
/** The end of each stream a JSON payload carries. */
export const OUTPUT_TAIL_BYTES = 4096;
/** Lines of output quoted in a chat message: enough to see what went wrong, not a log. */
const CHAT_LINES = 10;
const CHAT_CHARS = 1500;

export type AlertEvent = 'run.succeeded' | 'run.failed' | 'run.timed_out' | 'run.stuck' | 'test';

export interface AlertSubject {
  event: AlertEvent;
  schedule: { id: string; name: string; cron: string; timezone: string };
  machine: { id: string; name: string };
  run: Run;
  /** run.stuck: how long it has run, and how long it usually takes (ms). */
  stuck?: { running_for: number; usual: number };
  sentAt: number;
}

/** The event a finished run is, or null for runs nobody is told about (cancel, skip). */
export function alertEventFor(status: RunStatus): AlertEvent | null {
  switch (status) {
    case 'success':
      return 'run.succeeded';
    case 'failure':
    case 'interrupted':
      return 'run.failed';
    case 'timeout':
      return 'run.timed_out';
    default:
      return null;
  }
}

/** The schedule's own switches decide, as for desktop notices: success, or everything else. */
export function wantsWebhook(event: AlertEvent, notify: Notify): boolean {
  if (event === 'test') return true;
  return event === 'run.succeeded' ? notify.on_success : notify.on_failure;
}

/** The last `max` bytes of `text` in UTF-8, never splitting a character. */
export function tailBytes(text: string, max = OUTPUT_TAIL_BYTES): { text: string; cut: boolean } {
  // A character is at least one byte: the tail lies within the last `max` code units.
  let start = Math.max(0, text.length - max);
  let bytes = 0;
  for (let i = text.length - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    const low =
      c >= 0xdc00 &&
      c <= 0xdfff &&
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a lone low half at 0 is cut either way
      i > 0;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : low ? 4 : 3;
    if (bytes + size > max) {
      start = i + 1;
      break;
    }
    bytes += size;
    if (low) i--; // the pair's high half is counted with it
  }
  // A lone low surrogate left at the start belongs to a character that did not fit.
  const code = text.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start++;
  return { text: text.slice(start), cut: start > 0 };
}

const on = (s: AlertSubject) => ` (on ${s.machine.name})`;

/** One line saying what happened: the JSON's `text`, a chat message's first line. */
export function summaryLine(s: AlertSubject, name = s.schedule.name): string {
  const { run } = s;
  switch (s.event) {
    case 'run.succeeded':
      return `${name} succeeded${run.duration === null ? '' : ` in ${formatDuration(run.duration)}`}${on(s)}`;
    case 'run.failed': {
      if (run.status === 'interrupted') {
        return `${name} was interrupted: the app stopped while it ran${on(s)}`;
      }
      return `${name} failed${attemptsText(run)}${endedHow(run)}${on(s)}`;
    }
    case 'run.timed_out': {
      const after = run.duration === null ? '' : ` after ${formatDuration(run.duration)}`;
      return `${name} timed out${after}${attemptsText(run)}${on(s)}`;
    }
    case 'run.stuck': {
      // Stryker disable next-line ObjectLiteral: formatDuration reads a missing figure as 0
      const st = s.stuck ?? { running_for: 0, usual: 0 };
      return `${name} is running long: ${formatDuration(st.running_for)} so far, usually about ${formatDuration(st.usual)}${on(s)}`;
    }
    case 'test':
      return `Test from Cmdop Scheduler: alerts for ${name} arrive here${on(s)}`;
  }
}

export interface JsonPayload {
  version: number;
  event: AlertEvent;
  text: string;
  sent_at: string;
  schedule: {
    id: string;
    name: string;
    cron: string;
    timezone: string;
    machine: { id: string; name: string };
  };
  run: {
    id: string;
    command_id: string;
    status: RunStatus;
    exit_code: number | null;
    signal: string | null;
    duration: number | null;
    started_at: string;
    finished_at: string | null;
    trigger: string;
    attempt: number;
    /** The last 4 KiB of each stream. */
    stdout_tail: string;
    stderr_tail: string;
    /** Output was cut: to its tail here, or already when the run captured it. */
    truncated: boolean;
  };
  /** run.stuck only, in ms. */
  stuck?: { running_for: number; usual_duration: number };
}

export function jsonPayload(s: AlertSubject): JsonPayload {
  const { run } = s;
  const stdout = tailBytes(run.stdout);
  const stderr = tailBytes(run.stderr);
  const payload: JsonPayload = {
    version: PAYLOAD_VERSION,
    event: s.event,
    text: summaryLine(s),
    sent_at: formatTimestamp(s.sentAt),
    schedule: { ...s.schedule, machine: { ...s.machine } },
    run: {
      id: run.id,
      command_id: run.command_id,
      status: run.status,
      exit_code: run.exit_code,
      signal: run.signal,
      duration: run.duration,
      started_at: run.started_at,
      finished_at: run.finished_at,
      trigger: run.trigger,
      attempt: run.attempt ?? 1,
      stdout_tail: stdout.text,
      stderr_tail: stderr.text,
      truncated: run.truncated || stdout.cut || stderr.cut,
    },
  };
  if (s.stuck) {
    payload.stuck = { running_for: s.stuck.running_for, usual_duration: s.stuck.usual };
  }
  return payload;
}

/** What a chat message quotes: the end of stderr (or stdout when stderr is empty). */
function quotedOutput(s: AlertSubject): string {
  if (s.event === 'run.succeeded' || s.event === 'test') return '';
  const raw = s.run.stderr.trim() ? s.run.stderr : s.run.stdout;
  const lines = visibleText(raw.slice(-CHAT_CHARS * 4))
    .split('\n')
    .filter((l) => l.trim() !== '');
  const tail = lines.slice(-CHAT_LINES).join('\n');
  return tail.length > CHAT_CHARS ? `…${tail.slice(-(CHAT_CHARS - 1))}` : tail;
}

/** A quoted block must not be ended early by output that holds three backticks. */
const fence = (text: string) => text.replace(/```/g, '`\u200b``');

const EMOJI: Record<AlertEvent, string> = {
  'run.succeeded': ':white_check_mark:',
  'run.failed': ':x:',
  'run.timed_out': ':hourglass:',
  'run.stuck': ':warning:',
  test: ':bell:',
};

/** Slack's three control characters; `<!channel>` in output must not reach anyone. */
const slackEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming webhooks and Mattermost's (which accept Slack's format). */
export function slackPayload(s: AlertSubject): { text: string } {
  const name = s.schedule.name.includes('*') ? s.schedule.name : `*${s.schedule.name}*`;
  const quoted = quotedOutput(s);
  const head = `${EMOJI[s.event]} ${slackEscape(summaryLine(s, name))}`;
  return { text: quoted ? `${head}\n\`\`\`${slackEscape(fence(quoted))}\`\`\`` : head };
}

const COLORS: Record<AlertEvent, number> = {
  'run.succeeded': 0x2e7d32,
  'run.failed': 0xc62828,
  'run.timed_out': 0xc62828,
  'run.stuck': 0xef6c00,
  test: 0x1565c0,
};

/** Discord reads markdown in names; a backslash shows the character as it is. */
const discordEscape = (text: string) => text.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');

export interface DiscordPayload {
  content: string;
  embeds: { title: string; description?: string; color: number; timestamp: string }[];
  allowed_mentions: { parse: string[] };
}

/** A Discord webhook message: the line, and the output's end in an embed. */
export function discordPayload(s: AlertSubject): DiscordPayload {
  const quoted = quotedOutput(s);
  const embed: DiscordPayload['embeds'][number] = {
    title: clip(summaryLine(s), 256),
    color: COLORS[s.event],
    timestamp: formatTimestamp(s.sentAt),
  };
  if (quoted) embed.description = `\`\`\`\n${fence(quoted)}\n\`\`\``;
  return {
    content: clip(`${EMOJI[s.event]} ${summaryLine(s, discordEscape(s.schedule.name))}`, 2000),
    embeds: [embed],
    // Output and names may hold @everyone or <@id>: nobody is pinged by an alert.
    allowed_mentions: { parse: [] },
  };
}

/** The body a webhook of `format` is sent. */
export function webhookBody(format: WebhookFormat, s: AlertSubject): string {
  switch (format) {
    case 'slack':
      return JSON.stringify(slackPayload(s));
    case 'discord':
      return JSON.stringify(discordPayload(s));
    case 'json':
      return JSON.stringify(jsonPayload(s));
  }
}
