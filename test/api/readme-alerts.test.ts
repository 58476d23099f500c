// The README's "Alerts" examples against the real thing: each curl command is run with real
// curl against a local receiver (it is curl-able as printed), and what it sends is held to
// what a real failing run sends — our JSON, Slack's, Discord's, the pings, the record kept.
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/types';
import {
  alertServers,
  createSchedule,
  runAndSettle,
  withDeliveries,
} from '../helpers/alert-server';
import type { Receiver } from '../helpers/receiver';
import { codeBlocks, curlExamples, runCurl, shape } from '../helpers/readme-alerts';

const { setup } = alertServers(afterEach);

/** The README's example run: its output and its exit code. */
const COMMAND =
  'echo "dumping mydb"; echo "pg_dump: error: connection to server failed" >&2; exit 3';

describe("the README's Alerts examples", () => {
  it('are curl-able, and shaped and worded as what a real failing run sends', async () => {
    const { rx, srv } = await setup();
    const real: Record<string, { run: Run; json: any }> = {};
    for (const format of ['json', 'slack', 'discord'] as const) {
      const s = await createSchedule(srv, {
        name: 'Daily Backup',
        command: COMMAND,
        notify: {
          webhook_url: `${rx.url}/real/${format}`,
          webhook_format: format,
          ...(format === 'json' ? { ping_url: `${rx.url}/ping/your-uuid` } : {}),
        },
      });
      const run = await runAndSettle(srv, s.id);
      expect(run).toMatchObject({ status: 'failure', exit_code: 3 });
      const got = await arrived(rx, `/real/${format}`);
      real[format] = { run, json: got.json };
    }
    // The README's machine is "laptop"; this one is called something else.
    const machine = real.json?.json.schedule.machine.name as string;
    const asReadme = (v: unknown) =>
      JSON.parse(JSON.stringify(v).replaceAll(`(on ${machine})`, '(on laptop)'));

    const examples = curlExamples();
    const posts = examples.filter((e) => e.body !== null);
    const bySite = (site: string) => posts.filter((e) => e.url.startsWith(site));
    const ours = bySite('https://your-receiver.example/');
    expect(ours.map((e) => e.body.event).sort()).toEqual(['run.failed', 'run.stuck']);
    expect(bySite('https://hooks.slack.com/')).toHaveLength(1);
    expect(bySite('https://discord.com/')).toHaveLength(1);

    // Each one, run with curl, arrives as printed.
    for (const [i, e] of posts.entries()) {
      const origin = new URL(e.url).origin;
      await runCurl(e, origin, `${rx.url}/readme${i}`);
      const got = await arrived(rx, `/readme${i}${new URL(e.url).pathname}`);
      expect(got.method).toBe('POST');
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.json).toEqual(e.body);
    }

    // Our JSON: the same fields of the same types, the same line, the same output.
    const failed = ours.find((e) => e.body.event === 'run.failed')?.body;
    const json = asReadme(real.json?.json);
    expect(shape(json)).toEqual(shape(failed));
    expect(json.text).toBe(failed.text);
    expect(json.run).toMatchObject({
      status: failed.run.status,
      exit_code: failed.run.exit_code,
      stdout_tail: failed.run.stdout_tail,
      stderr_tail: failed.run.stderr_tail,
    });
    // Slack's is all text: exactly the README's.
    expect(asReadme(real.slack?.json)).toEqual(bySite('https://hooks.slack.com/')[0]?.body);
    // Discord's: all but the moment it was sent.
    const discord = bySite('https://discord.com/')[0]?.body;
    const sent = asReadme(real.discord?.json);
    expect(shape(sent)).toEqual(shape(discord));
    sent.embeds[0].timestamp = discord.embeds[0].timestamp;
    expect(sent).toEqual(discord);

    // The pings: the README's two commands send what the run sent, in its order.
    const realPings = rx.received.filter((r) => r.path.startsWith('/ping/')).map((r) => r.path);
    expect(realPings).toEqual(['/ping/your-uuid/start', '/ping/your-uuid/3']);
    const pings = examples.filter((e) => e.body === null && e.url.startsWith('https://hc-ping'));
    expect(pings).toHaveLength(2);
    const before = rx.received.length;
    for (const e of pings) await runCurl(e, 'https://hc-ping.com', `${rx.url}/ping`);
    await rx.waitFor(before + 2);
    expect(rx.received.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(
      realPings.map((p) => `GET ${p}`),
    );

    // The record of a delivery, as the README prints it.
    const [record] = codeBlocks('json').map((b) => JSON.parse(b));
    const shown = await withDeliveries(srv, real.json?.run as Run, 3);
    const webhook = shown.deliveries?.find((d) => d.channel === 'webhook');
    expect(shape(webhook)).toEqual(shape(record));
  });
});

/** The first request to `path` the receiver got, once it has. */
async function arrived(rx: Receiver, path: string) {
  for (;;) {
    const got = rx.received.find((r) => r.path === path);
    if (got) return got;
    await rx.waitFor(rx.received.length + 1);
  }
}
