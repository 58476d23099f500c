// What a webhook receives: which runs are told about, the UTF-8 tail of the output a JSON
// payload carries, each event's line, the full JSON body, and the output a chat message
// quotes (stderr's last lines, escaped so it cannot ping anyone or end the code block).
import { describe, expect, it } from 'vitest';
import {
  alertEventFor,
  discordPayload,
  jsonPayload,
  slackPayload,
  summaryLine,
  tailBytes,
  wantsWebhook,
  webhookBody,
  type AlertSubject,
} from '../../src/shared/webhook-payload';
import type { Run } from '../../src/shared/types';
import { finishedRun } from '../helpers/runs';

const subject = (over: Partial<AlertSubject> = {}, run: Partial<Run> = {}): AlertSubject => ({
  event: 'run.failed',
  schedule: { id: 'sched_1', name: 'Backup', cron: '0 3 * * *', timezone: 'UTC' },
  machine: { id: 'mach_1', name: 'laptop' },
  run: finishedRun(run),
  sentAt: Date.parse('2026-06-01T03:00:03Z'),
  ...over,
});

const utf8 = (text: string) => new TextEncoder().encode(text).length;

describe('which runs are told about', () => {
  it.each([
    ['success', 'run.succeeded'],
    ['failure', 'run.failed'],
    ['interrupted', 'run.failed'],
    ['timeout', 'run.timed_out'],
    ['cancelled', null],
    ['skipped', null],
    ['running', null],
  ] as const)('a %s run is %s', (status, event) => {
    expect(alertEventFor(status)).toBe(event);
  });

  it("follows the schedule's success and failure switches; a test always goes", () => {
    const only = (on_success: boolean, on_failure: boolean) => ({ on_success, on_failure });
    expect(wantsWebhook('run.succeeded', only(true, false))).toBe(true);
    expect(wantsWebhook('run.succeeded', only(false, true))).toBe(false);
    expect(wantsWebhook('run.failed', only(false, true))).toBe(true);
    expect(wantsWebhook('run.timed_out', only(true, false))).toBe(false);
    expect(wantsWebhook('run.stuck', only(false, true))).toBe(true);
    expect(wantsWebhook('test', only(false, false))).toBe(true);
  });
});

describe('tailBytes', () => {
  it('keeps the last max bytes of ASCII, and all of a text that fits exactly', () => {
    expect(tailBytes('abcdef', 4)).toEqual({ text: 'cdef', cut: true });
    expect(tailBytes('abcd', 4)).toEqual({ text: 'abcd', cut: false });
  });

  it('counts 2-byte and 3-byte characters at the edges of their ranges', () => {
    // U+007F is one byte, U+0080 and U+07FF two, U+0800 three.
    expect(tailBytes('a\u007f\u007f', 2)).toEqual({ text: '\u007f\u007f', cut: true });
    expect(tailBytes('a\u0080\u0080', 4)).toEqual({ text: '\u0080\u0080', cut: true });
    expect(tailBytes('a\u0080\u0080', 3)).toEqual({ text: '\u0080', cut: true });
    expect(tailBytes('\u07ff\u07ff', 3)).toEqual({ text: '\u07ff', cut: true });
    expect(tailBytes('\u07ff\u07ff', 4)).toEqual({ text: '\u07ff\u07ff', cut: false });
    expect(tailBytes('\u0800\u0800', 5)).toEqual({ text: '\u0800', cut: true });
    expect(tailBytes('\u0800\u0800', 6)).toEqual({ text: '\u0800\u0800', cut: false });
    expect(tailBytes('\u0800\u0800', 9)).toEqual({ text: '\u0800\u0800', cut: false });
    expect(tailBytes('ééé', 4)).toEqual({ text: 'éé', cut: true });
    // U+E000 and up are 3 bytes, not a surrogate pair's half.
    expect(tailBytes('a\ue000', 3)).toEqual({ text: '\ue000', cut: true });
    expect(tailBytes('a\uffff', 3)).toEqual({ text: '\uffff', cut: true });
  });

  it('counts a character outside the BMP as 4 bytes and never splits it', () => {
    for (const c of ['\u{10000}', '😀', '\u{103ff}']) {
      expect(tailBytes(`a${c}`, 4)).toEqual({ text: c, cut: true });
      expect(tailBytes(`a${c}`, 5)).toEqual({ text: `a${c}`, cut: false });
      expect(tailBytes(`${c}ab`, 5)).toEqual({ text: 'ab', cut: true });
      expect(tailBytes(`${c}${c}`, 7)).toEqual({ text: c, cut: true });
      expect(tailBytes(`${c}${c}`, 8)).toEqual({ text: `${c}${c}`, cut: false });
    }
  });

  it('drops a lone low surrogate at the start (the rest of a character cut before)', () => {
    expect(tailBytes('\udc00abc')).toEqual({ text: 'abc', cut: true });
    expect(tailBytes('\udfffabc')).toEqual({ text: 'abc', cut: true });
    expect(tailBytes('\ue000abc')).toEqual({ text: '\ue000abc', cut: false });
  });

  it('stays within the byte limit on long mixed text', () => {
    const text = `${'a😀é\u0800'.repeat(2000)}end`;
    const tail = tailBytes(text, 4096);
    expect(utf8(tail.text)).toBeLessThanOrEqual(4096);
    expect(utf8(tail.text)).toBeGreaterThan(4096 - 4);
    expect(text.endsWith(tail.text)).toBe(true);
  });
});

describe('summary lines', () => {
  const line = (event: AlertSubject['event'], run: Partial<Run> = {}, over = {}) =>
    summaryLine(subject({ event, ...over }, run));

  it('say how long a run took when that is known', () => {
    expect(line('run.succeeded', { status: 'success', duration: null })).toBe(
      'Backup succeeded (on laptop)',
    );
    expect(line('run.timed_out', { status: 'timeout', duration: 60_000, exit_code: null })).toBe(
      'Backup timed out after 1 min (on laptop)',
    );
    expect(
      line('run.timed_out', { status: 'timeout', duration: null, exit_code: null, attempt: 2 }),
    ).toBe('Backup timed out after 2 attempts (on laptop)');
  });

  it('word a test and a stuck run without figures', () => {
    expect(line('test')).toBe(
      'Test from Cmdop Scheduler: alerts for Backup arrive here (on laptop)',
    );
    expect(line('run.stuck', { status: 'running' })).toBe(
      'Backup is running long: 0 ms so far, usually about 0 ms (on laptop)',
    );
  });
});

describe('the JSON payload', () => {
  it('carries the schedule, the machine, the run and the text', () => {
    const s = subject({}, { stdout: 'out\n', stderr: 'err\n', signal: null, attempt: 2 });
    expect(jsonPayload(s)).toEqual({
      version: 1,
      event: 'run.failed',
      text: 'Backup failed after 2 attempts — exit 1 (on laptop)',
      sent_at: '2026-06-01T03:00:03Z',
      schedule: {
        id: 'sched_1',
        name: 'Backup',
        cron: '0 3 * * *',
        timezone: 'UTC',
        machine: { id: 'mach_1', name: 'laptop' },
      },
      run: {
        id: 'run_1',
        command_id: 'cmd_1',
        status: 'failure',
        exit_code: 1,
        signal: null,
        duration: 2300,
        started_at: '2026-06-01T03:00:00Z',
        finished_at: '2026-06-01T03:00:02Z',
        trigger: 'schedule',
        attempt: 2,
        stdout_tail: 'out\n',
        stderr_tail: 'err\n',
        truncated: false,
      },
    });
    expect(JSON.parse(webhookBody('json', s))).toEqual(jsonPayload(s));
  });

  it('counts a run with no attempt number (a remote one) as the first', () => {
    const s = subject({}, { attempt: undefined as unknown as number });
    expect(jsonPayload(s).run.attempt).toBe(1);
  });

  it('is truncated when the run cut its output, or when either stream is cut here', () => {
    const long = 'x'.repeat(5000);
    expect(jsonPayload(subject({}, { truncated: true })).run.truncated).toBe(true);
    expect(jsonPayload(subject({}, { stdout: long })).run.truncated).toBe(true);
    const cut = jsonPayload(subject({}, { stderr: long }));
    expect(cut.run.truncated).toBe(true);
    expect(cut.run.stderr_tail).toBe('x'.repeat(4096));
  });
});

describe('chat messages', () => {
  const stderr = (text: string, over: Partial<AlertSubject> = {}) =>
    discordPayload(subject(over, { stderr: text })).embeds[0]?.description;

  it('quote the end of stderr, or stdout when stderr is blank', () => {
    expect(stderr('disk full\n')).toBe('```\ndisk full\n```');
    const s = subject({}, { stdout: 'partial\n', stderr: ' \n' });
    expect(discordPayload(s).embeds[0]?.description).toBe('```\npartial\n```');
  });

  it('quote nothing for a success or a test', () => {
    for (const event of ['run.succeeded', 'test'] as const) {
      expect(stderr('noise\n', { event })).toBeUndefined();
      expect(slackPayload(subject({ event }, { stderr: 'noise\n' })).text).not.toContain('noise');
    }
    expect(stderr('oops\n', { event: 'run.timed_out' })).toBe('```\noops\n```');
  });

  it('quote the last ten lines with text, blank ones left out', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
    expect(stderr(`${lines.join('\n\n')}\n`)).toBe(`\`\`\`\n${lines.slice(2).join('\n')}\n\`\`\``);
  });

  it('quote ten long lines in full up to 1500 characters', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `${i}`.repeat(100));
    expect(stderr(lines.join('\n'))).toBe(`\`\`\`\n${lines.join('\n')}\n\`\`\``);
  });

  it('cut a longer quote to its last 1500 characters, marked', () => {
    const exact = 'y'.repeat(1500);
    expect(stderr(exact)).toBe(`\`\`\`\n${exact}\n\`\`\``);
    const longer = `z${exact}`;
    expect(stderr(longer)).toBe(`\`\`\`\n…${'y'.repeat(1499)}\n\`\`\``);
  });

  it('read only the last 6000 characters of a long output', () => {
    expect(stderr(`early error\n${' \n'.repeat(3000)}`)).toBeUndefined();
  });

  it('escape Slack mentions in the output and the name, and fence backticks', () => {
    const s = subject(
      { schedule: { id: 's', name: 'A<b>', cron: '@daily', timezone: 'UTC' } },
      { stderr: '<!channel> & ```done```\n' },
    );
    expect(slackPayload(s).text).toBe(
      ':x: *A&lt;b&gt;* failed — exit 1 (on laptop)\n```&lt;!channel&gt; &amp; `\u200b``done`\u200b`````',
    );
    expect(JSON.parse(webhookBody('slack', s))).toEqual(slackPayload(s));
  });

  it('leave a Slack name that has its own bold marks as it is', () => {
    const s = subject(
      {
        event: 'run.succeeded',
        schedule: { id: 's', name: '*db*', cron: '@daily', timezone: 'UTC' },
      },
      { status: 'success', exit_code: 0 },
    );
    expect(slackPayload(s)).toEqual({
      text: ':white_check_mark: *db* succeeded in 2.3 s (on laptop)',
    });
  });

  it('send Discord a coloured embed that pings nobody', () => {
    const s = subject({}, { stderr: '@everyone it broke\n' });
    const body = JSON.parse(webhookBody('discord', s));
    expect(body).toEqual({
      content: ':x: Backup failed — exit 1 (on laptop)',
      embeds: [
        {
          title: 'Backup failed — exit 1 (on laptop)',
          description: '```\n@everyone it broke\n```',
          color: 0xc62828,
          timestamp: '2026-06-01T03:00:03Z',
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });
});
