// Webhooks and health-check pings end to end: a real server runs real commands, and a real
// HTTP receiver on 127.0.0.1 records what arrives — the payload of each event, Slack's and
// Discord's shapes, retries, timeouts, the flags, the order of pings, what the run records,
// and that the secret URL never reaches the log.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  alertServers,
  createSchedule as create,
  runAndSettle,
  withDeliveries,
} from '../helpers/alert-server';

const { setup, receiver, server } = alertServers(afterEach);

describe('webhook payloads (json)', () => {
  it('posts run.failed with the schedule, the machine, the run and the end of its output', async () => {
    const { rx, srv } = await setup();
    const s = await create(srv, {
      command: 'printf "line %s\\n" $(seq 1 2000); echo "disk full" >&2; exit 3',
      notify: { on_failure: true, webhook_url: `${rx.url}/hooks/backup` },
    });
    const run = await runAndSettle(srv, s.id);
    const [got] = await rx.waitFor(1);
    expect(got?.method).toBe('POST');
    expect(got?.path).toBe('/hooks/backup');
    expect(got?.headers['content-type']).toBe('application/json');
    const p = got?.json;
    expect(p).toMatchObject({
      version: 1,
      event: 'run.failed',
      schedule: { id: s.id, name: 'Daily Backup', cron: '0 3 * * *', timezone: 'UTC' },
      run: {
        id: run.id,
        command_id: run.command_id,
        status: 'failure',
        exit_code: 3,
        duration: run.duration,
        started_at: run.started_at,
        finished_at: run.finished_at,
        stderr_tail: 'disk full\n',
        truncated: true,
      },
    });
    expect(p.text).toMatch(/^Daily Backup failed — exit 3 \(on .+\)$/);
    expect(p.schedule.machine.id).toMatch(/^mach_/);
    // The last 4 KiB of stdout: its end, not its start.
    expect(Buffer.byteLength(p.run.stdout_tail)).toBeLessThanOrEqual(4096);
    expect(p.run.stdout_tail.endsWith('line 2000\n')).toBe(true);
    expect(p.run.stdout_tail).not.toContain('line 1\n');

    // The delivery is on the run, with the receiver's answer and no secret.
    const shown = await withDeliveries(srv, run, 1);
    expect(shown.deliveries).toEqual([
      {
        channel: 'webhook',
        event: 'run.failed',
        url: `${rx.url}/…`,
        at: expect.any(String),
        attempts: 1,
        ok: true,
        status_code: 200,
        error: null,
      },
    ]);
    const history = await srv.call('GET', `/v1/schedules/${s.id}/history`);
    expect(history.json.data[0].deliveries).toHaveLength(1);
  });

  it('posts run.succeeded when on_success, and run.timed_out for a timeout', async () => {
    const { rx, srv } = await setup();
    const ok = await create(srv, {
      command: 'echo done',
      notify: { on_success: true, webhook_url: `${rx.url}/ok` },
    });
    await runAndSettle(srv, ok.id);
    const slow = await create(srv, {
      name: 'Slow',
      command: 'sleep 5',
      timeout: 1000,
      notify: { webhook_url: `${rx.url}/slow` },
    });
    await runAndSettle(srv, slow.id);
    const got = await rx.waitFor(2);
    const byPath = Object.fromEntries(got.map((r) => [r.path, r.json]));
    expect(byPath['/ok']).toMatchObject({
      event: 'run.succeeded',
      run: { status: 'success', exit_code: 0, stdout_tail: 'done\n' },
    });
    expect(byPath['/slow']).toMatchObject({
      event: 'run.timed_out',
      run: { status: 'timeout', exit_code: null },
    });
    expect(byPath['/slow'].text).toMatch(/^Slow timed out after /);
  });

  it('sends nothing when the flag for that outcome is off; pings still go', async () => {
    const { rx, srv } = await setup();
    const s = await create(srv, {
      command: 'true',
      notify: {
        on_success: false,
        on_failure: true,
        webhook_url: `${rx.url}/hook`,
        ping_url: `${rx.url}/ping/abc`,
      },
    });
    const run = await runAndSettle(srv, s.id);
    await withDeliveries(srv, run, 2);
    expect(rx.received.map((r) => r.path)).toEqual(['/ping/abc/start', '/ping/abc']);

    await srv.call('PATCH', `/v1/schedules/${s.id}`, {
      notify: { on_failure: false },
      command: 'exit 1',
    });
    const failed = await runAndSettle(srv, s.id);
    await withDeliveries(srv, failed, 2);
    expect(rx.received.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET']);
    expect(rx.received.some((r) => r.path === '/hook')).toBe(false);
  });
});

describe('chat formats', () => {
  it('sends Slack/Mattermost {"text"} with the output quoted and escaped', async () => {
    const { rx, srv } = await setup();
    const s = await create(srv, {
      name: 'DB <prod>',
      command: 'echo "<!channel> pg_dump: connection refused" >&2; exit 2',
      notify: { webhook_url: `${rx.url}/slack`, webhook_format: 'slack' },
    });
    await runAndSettle(srv, s.id);
    const [got] = await rx.waitFor(1);
    expect(Object.keys(got?.json)).toEqual(['text']);
    const text = got?.json.text as string;
    expect(text).toMatch(/^:x: \*DB &lt;prod&gt;\* failed — exit 2 \(on .+\)\n```/);
    // Output cannot ping the channel: Slack's control characters arrive escaped.
    expect(text).toContain('&lt;!channel&gt; pg_dump: connection refused');
    expect(text).not.toContain('<!channel>');
  });

  it('sends a Discord message with an embed and no mentions', async () => {
    const { rx, srv } = await setup();
    const s = await create(srv, {
      command: 'echo "@everyone it broke" >&2; exit 1',
      notify: { webhook_url: `${rx.url}/discord`, webhook_format: 'discord' },
    });
    await runAndSettle(srv, s.id);
    const [got] = await rx.waitFor(1);
    expect(got?.json).toMatchObject({
      content: expect.stringMatching(/^:x: Daily Backup failed — exit 1/),
      embeds: [
        {
          title: expect.stringMatching(/^Daily Backup failed — exit 1/),
          description: '```\n@everyone it broke\n```',
          color: 0xc62828,
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });
});

describe('delivery', () => {
  it('retries after a 500 and records the success of the second attempt', async () => {
    const { rx, srv } = await setup((n) => (n === 1 ? 500 : 204));
    const s = await create(srv, { command: 'exit 1', notify: { webhook_url: `${rx.url}/h` } });
    const run = await runAndSettle(srv, s.id);
    const shown = await withDeliveries(srv, run, 1);
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]?.body).toBe(rx.received[0]?.body);
    expect(shown.deliveries?.[0]).toMatchObject({ ok: true, attempts: 2, status_code: 204 });
  });

  it('gives up after 3 attempts on a receiver that never answers, and says why', async () => {
    const { rx, srv } = await setup(() => 'hang');
    const s = await create(srv, { command: 'exit 1', notify: { webhook_url: `${rx.url}/h` } });
    const run = await runAndSettle(srv, s.id);
    const shown = await withDeliveries(srv, run, 1);
    expect(rx.received).toHaveLength(3);
    expect(shown.deliveries?.[0]).toMatchObject({
      ok: false,
      attempts: 3,
      status_code: null,
      error: 'no answer within 0.4 s',
    });
  });

  it('does not retry what retrying cannot fix (404), and keeps the secret URL out of the log', async () => {
    const { rx, srv } = await setup(() => ({ status: 404, body: 'no_service' }));
    const secret = `${rx.url}/services/T0SECRET/B0SECRET/XyZsecretToken?token=hunter2`;
    const s = await create(srv, {
      command: 'exit 1',
      notify: { webhook_url: secret, ping_url: `${rx.url}/ping/0b7a-uuid-secret` },
    });
    const run = await runAndSettle(srv, s.id);
    const shown = await withDeliveries(srv, run, 3);
    const webhook = shown.deliveries?.find((d) => d.channel === 'webhook');
    expect(webhook).toMatchObject({
      attempts: 1,
      status_code: 404,
      error: 'HTTP 404: no_service',
      url: `${rx.url}/…`,
    });
    expect(shown.deliveries?.filter((d) => d.channel === 'ping').map((d) => d.url)).toEqual([
      `${rx.url}/…/start`,
      `${rx.url}/…/1`,
    ]);
    const log = srv.log.lines.join('\n');
    expect(log).toContain(`webhook run.failed for run ${run.id} to ${rx.url}/… failed`);
    for (const secretPart of ['T0SECRET', 'XyZsecretToken', 'hunter2', 'uuid-secret']) {
      expect(log).not.toContain(secretPart);
    }
    // Nor in the records kept on disk.
    const dir = join(srv.dataDir, 'deliveries');
    const kept = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');
    expect(kept).toContain('"status_code":404');
    expect(kept).not.toContain('hunter2');
    expect(kept).not.toContain('uuid-secret');
  });
});

describe('health-check pings', () => {
  it('pings <url>/start then <url> on success, /start then /<exit code> or /fail on failure', async () => {
    const { rx, srv } = await setup();
    const s = await create(srv, {
      command: 'true',
      notify: { on_failure: false, ping_url: `${rx.url}/ping/abc-123?rid=x` },
    });
    const ok = await runAndSettle(srv, s.id);
    await withDeliveries(srv, ok, 2);
    expect(rx.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /ping/abc-123/start?rid=x',
      'GET /ping/abc-123?rid=x',
    ]);

    // Healthchecks (its /ping/ URLs) reads the exit code; a timeout has none: /fail.
    await srv.call('PATCH', `/v1/schedules/${s.id}`, { command: 'exit 7' });
    const failed = await runAndSettle(srv, s.id);
    await withDeliveries(srv, failed, 2);
    // Another service gets /fail.
    const other = await create(srv, {
      name: 'Other',
      command: 'exit 7',
      notify: { ping_url: `${rx.url}/uptime/xyz` },
    });
    const otherRun = await runAndSettle(srv, other.id);
    await withDeliveries(srv, otherRun, 2);
    expect(rx.received.slice(2).map((r) => r.path)).toEqual([
      '/ping/abc-123/start?rid=x',
      '/ping/abc-123/7?rid=x',
      '/uptime/xyz/start',
      '/uptime/xyz/fail',
    ]);
  });
});

describe('plain http', () => {
  it('goes only to this machine unless notify.allow_http says so', async () => {
    const srv = await server();
    const base = { name: 'x', machine_id: 'local', command: 'true', cron: '@daily' };
    const refused = await srv.call('POST', '/v1/schedules', {
      ...base,
      notify: { webhook_url: 'http://hooks.example.com/x', ping_url: 'ftp://example.com/p' },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details.fields).toEqual({
      'notify.webhook_url': expect.stringMatching(/^plain http is only sent to this machine/),
      'notify.ping_url': expect.stringMatching(/^must be an http:\/\/ or https:\/\/ URL/),
    });
    const made = await srv.call('POST', '/v1/schedules', {
      ...base,
      notify: { webhook_url: 'https://hooks.example.com/x' },
    });
    expect(made.status).toBe(201);
    const id = made.json.data.id;
    // The URL and the opt-in it needs may come in different requests.
    const patch = (notify: object) => srv.call('PATCH', `/v1/schedules/${id}`, { notify });
    expect((await patch({ webhook_url: 'http://10.0.0.5/x' })).status).toBe(400);
    expect((await patch({ allow_http: true })).status).toBe(200);
    const ok = await patch({ webhook_url: 'http://10.0.0.5/x', webhook_format: 'slack' });
    expect(ok.json.data.notify).toEqual({
      on_success: false,
      on_failure: true,
      webhook_url: 'http://10.0.0.5/x',
      webhook_format: 'slack',
      allow_http: true,
    });
    // Clearing the URL leaves Cmdop's notify as it was, plus what is still set.
    const cleared = await patch({ webhook_url: null, webhook_format: 'json', allow_http: false });
    expect(cleared.json.data.notify).toEqual({ on_success: false, on_failure: true });
  });
});

describe('POST /v1/schedules/:id/notify/test', () => {
  it('sends a sample to each channel once and reports each result', async () => {
    const { rx, srv } = await setup();
    const failing = await receiver(() => ({ status: 410, body: 'gone' }));
    const s = await create(srv, {
      notify: { webhook_url: `${rx.url}/hook`, ping_url: `${failing.url}/ping/uuid` },
    });
    const res = await srv.call('POST', `/v1/schedules/${s.id}/notify/test`);
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      ok: false,
      results: [
        { channel: 'webhook', url: `${rx.url}/…`, ok: true, status_code: 200, error: null },
        {
          channel: 'ping',
          url: `${failing.url}/…/log`,
          ok: false,
          status_code: 410,
          error: 'HTTP 410: gone',
        },
      ],
    });
    expect(rx.received[0]?.json).toMatchObject({
      event: 'test',
      schedule: { id: s.id },
      run: { id: 'run_test', status: 'success' },
    });
    // /log: recorded by healthchecks without changing the check's state.
    expect(failing.received.map((r) => r.path)).toEqual(['/ping/uuid/log']);
  });

  it('tries unsaved values from the body, and names what is missing or wrong', async () => {
    const { rx, srv } = await setup();
    const s = await create(srv, {});
    const none = await srv.call('POST', `/v1/schedules/${s.id}/notify/test`, {});
    expect(none.status).toBe(400);
    expect(none.json.error.details.fields.notify).toMatch(/no webhook_url or ping_url/);
    const bad = await srv.call('POST', `/v1/schedules/${s.id}/notify/test`, {
      notify: { webhook_url: 'http://example.com/x' },
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.fields).toHaveProperty('extra');
    const tried = await srv.call('POST', `/v1/schedules/${s.id}/notify/test`, {
      notify: { webhook_url: `${rx.url}/unsaved`, webhook_format: 'slack' },
    });
    expect(tried.json.data.ok).toBe(true);
    expect(rx.received[0]?.json.text).toMatch(/^:bell: Test from Cmdop Scheduler: alerts for/);
    // Nothing was saved.
    expect((await srv.call('GET', `/v1/schedules/${s.id}`)).json.data.notify).toEqual({
      on_success: false,
      on_failure: true,
    });
    const missing = await srv.call('POST', '/v1/schedules/sched_nope/notify/test', {});
    expect(missing.status).toBe(404);
  });
});
