// @ts-nocheck
// 
// The pure parts of alerts: which URLs are accepted, how a secret URL is shown, the ping
// addresses, the notify normal form, the payloads' words, and the stuck-run watch's timers.
import { describe, expect, it } from 'vitest';
import {
  pingUrl,
  plainHttpProblem,
  readsExitCodes,
  redactPing,
  redactUrl,
  scrubUrls,
} from '../../src/shared/alert-url';
import { normalizeNotify } from '../../src/shared/notify-fields';
import { parseInput, scheduleCreateSchema, schedulePatchSchema } from '../../src/shared/schemas';
import { ApiError } from '../../src/shared/errors';
import type { Run } from '../../src/shared/types';
import {
  discordPayload,
  jsonPayload,
  summaryLine,
  tailBytes,
  type AlertSubject,
} from '../../src/shared/webhook-payload';
import { EventBus } from '../../src/core/events';
import { StuckWatch, usualDuration } from '../../src/core/alerts/stuck-runs';
import type { IndexEntry } from '../../src/core/history-index';
import { FakeTime } from '../helpers/fake-time';
import { finishedRun } from '../helpers/runs';

const run = finishedRun;

const subject = (over: Partial<AlertSubject> = {}): AlertSubject => ({
  event: 'run.failed',
  schedule: { id: 'sched_1', name: 'Backup', cron: '0 3 * * *', timezone: 'UTC' },
  machine: { id: 'mach_1', name: 'laptop' },
  run: run(),
  sentAt: Date.parse('2026-06-01T03:00:03Z'),
  ...over,
});

describe('alert URLs', () => {
  it('shows only scheme, host and port of a secret URL', () => {
    expect(redactUrl('https://hooks.slack.com/services/T0/B0/xyz?token=1#x')).toBe(
      'https://hooks.slack.com/…',
    );
    expect(redactUrl('https://user:pw@discord.com/api/webhooks/1/abc')).toBe(
      'https://discord.com/…',
    );
    expect(redactUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/');
    expect(redactPing('https://hc-ping.com/0b7a-uuid', 'fail', 3)).toBe('https://hc-ping.com/…/3');
  });

  it('scrubs a URL, its path and its query out of a message', () => {
    const url = 'https://hooks.example.com/T0/secret?sig=abc';
    expect(scrubUrls(`POST ${url} failed; see /T0/secret?sig=abc`, [url])).toBe(
      'POST https://hooks.example.com/… failed; see /…',
    );
  });

  it('builds the healthchecks.io addresses, keeping a query string', () => {
    const base = 'https://hc-ping.com/0b7a/';
    expect(pingUrl(base, 'start')).toBe('https://hc-ping.com/0b7a/start');
    expect(pingUrl(base, 'success')).toBe('https://hc-ping.com/0b7a');
    expect(pingUrl(base, 'fail', 3)).toBe('https://hc-ping.com/0b7a/3');
    expect(pingUrl(base, 'fail', null)).toBe('https://hc-ping.com/0b7a/fail');
    expect(pingUrl('https://x.example/p?rid=1', 'log')).toBe('https://x.example/p/log?rid=1');
    expect(readsExitCodes('https://hc-ping.com/u')).toBe(true);
    expect(readsExitCodes('https://hc.internal/ping/u')).toBe(true);
    expect(readsExitCodes('https://push.example.com/u')).toBe(false);
  });

  it('allows plain http to this machine only, unless allow_http', () => {
    for (const ok of [
      'http://localhost:9/x',
      'http://127.0.0.2/x',
      'http://[::1]:9/',
      'https://a.b/',
    ]) {
      expect(plainHttpProblem(ok, false)).toBeNull();
    }
    expect(plainHttpProblem('http://192.168.1.5/x', false)).toMatch(/notify.allow_http/);
    expect(plainHttpProblem('http://192.168.1.5/x', true)).toBeNull();
  });
});

describe('notify fields', () => {
  const body = { name: 'n', machine_id: 'local', command: 'true', cron: '@daily' };
  const fields = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as ApiError).details.fields;
    }
    return null;
  };

  it('are validated where Cmdop puts its own, and name the field and the rule', () => {
    expect(
      fields(() =>
        parseInput(scheduleCreateSchema, {
          ...body,
          notify: { webhook_url: 'x'.repeat(3000), webhook_format: 'teams', ping_url: 5 },
        }),
      ),
    ).toEqual({
      'notify.webhook_url': 'must be at most 2048 characters',
      'notify.webhook_format': 'must be one of json, slack, discord',
      'notify.ping_url': 'must be a string, got number 5',
    });
    // A patch alone may set a URL whose allow_http is stored: the service judges the whole.
    expect(() =>
      parseInput(schedulePatchSchema, { notify: { webhook_url: 'http://10.1.1.1/x' } }),
    ).not.toThrow();
  });

  it('keep only what is set, so a schedule without alerts has Cmdop notify', () => {
    expect(
      normalizeNotify({
        on_success: true,
        on_failure: false,
        webhook_url: null,
        webhook_format: 'json',
        ping_url: null,
        allow_http: false,
      }),
    ).toEqual({ on_success: true, on_failure: false });
  });
});

describe('payloads', () => {
  it('cut output to its last 4 KiB without splitting a character', () => {
    const text = `start${'é'.repeat(3000)}😀end`;
    const tail = tailBytes(text);
    expect(new TextEncoder().encode(tail.text).length).toBeLessThanOrEqual(4096);
    expect(tail.text.endsWith('😀end')).toBe(true);
    expect(tail.cut).toBe(true);
    expect(tail.text.codePointAt(0)).toBe('é'.codePointAt(0));
    expect(tailBytes('short')).toEqual({ text: 'short', cut: false });
  });

  it('word each outcome as the desktop notices do', () => {
    const s = (r: Partial<Run>, event: AlertSubject['event'] = 'run.failed') =>
      summaryLine(subject({ event, run: run(r) }));
    expect(s({ attempt: 4, exit_code: 3 })).toBe(
      'Backup failed after 4 attempts — exit 3 (on laptop)',
    );
    expect(s({ exit_code: null, signal: 'SIGKILL' })).toBe(
      'Backup failed — killed by SIGKILL (on laptop)',
    );
    expect(s({ status: 'interrupted', exit_code: null })).toBe(
      'Backup was interrupted: the app stopped while it ran (on laptop)',
    );
    expect(s({ status: 'success', exit_code: 0 }, 'run.succeeded')).toBe(
      'Backup succeeded in 2.3 s (on laptop)',
    );
  });

  it('put the stuck figures in the JSON payload, and escape names for Discord', () => {
    const stuck = jsonPayload(
      subject({
        event: 'run.stuck',
        run: run({ status: 'running', finished_at: null, duration: null, exit_code: null }),
        stuck: { running_for: 130_000, usual: 60_000 },
      }),
    );
    expect(stuck.stuck).toEqual({ running_for: 130_000, usual_duration: 60_000 });
    expect(stuck.text).toBe(
      'Backup is running long: 2 min 10 s so far, usually about 1 min (on laptop)',
    );
    const d = discordPayload(subject({ schedule: { ...subject().schedule, name: '*_db_*' } }));
    expect(d.content).toBe(':x: \\*\\_db\\_\\* failed — exit 1 (on laptop)');
    expect(d.embeds[0]?.description).toBeUndefined();
  });
});

describe('StuckWatch', () => {
  const entries = (durations: number[]): IndexEntry[] =>
    durations.map((d) => ({ status: 'success', duration: d }) as unknown as IndexEntry);
  const history = (durations: number[]) => ({
    scanRuns: (_id: string, visit: (e: IndexEntry) => boolean) => {
      for (const e of entries(durations)) if (!visit(e)) return;
    },
  });

  it('takes the median of the last 10 successful runs, and none before 3', () => {
    expect(usualDuration(history([5, 1]), 's')).toBeNull();
    expect(usualDuration(history([5, 1, 3]), 's')).toBe(3);
    expect(usualDuration(history([4, 1, 3, 2]), 's')).toBe(2.5);
    // Newest first: the 11th and older do not count.
    expect(usualDuration(history([...Array(10).fill(10), 1000, 1000]), 's')).toBe(10);
  });

  it('holds a timer only while a watched run is going', () => {
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const events = new EventBus();
    const stuck: string[] = [];
    const watch = new StuckWatch({
      events,
      history: history([60_000, 60_000, 60_000]),
      clock: time.clock,
      timers: time,
      onStuck: (r) => stuck.push(r.command_id),
    });
    watch.start();
    expect(time.pendingCount).toBe(0);
    events.emit({ type: 'run.started', run: run({ status: 'running' }) });
    expect(time.pendingCount).toBe(1);
    events.emit({ type: 'run.finished', run: run() });
    expect(time.pendingCount).toBe(0);
    events.emit({ type: 'run.started', run: run({ command_id: 'cmd_2', status: 'running' }) });
    time.advanceBy(120_000);
    expect(stuck).toEqual(['cmd_2']);
    expect(watch.runningLong('sched_1')).toBe(true);
    // Said once: nothing is left to wake up for.
    expect(time.pendingCount).toBe(0);
    watch.stop();
  });
});
