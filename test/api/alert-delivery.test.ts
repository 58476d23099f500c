// Alerts on their way while the rest of the app goes on: a receiver that never answers does
// not hold up runs, stopping the app gives alerts a moment and then records them as not sent,
// and a schedule deleted meanwhile leaves nothing behind. Real server, real commands, a real
// receiver on 127.0.0.1 with the real 10 s timeout where it matters.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alertServers, createSchedule, getCommand, runAndSettle } from '../helpers/alert-server';
import { until } from '../helpers/policies';

const { setup, server } = alertServers(afterEach);

describe('a receiver that never answers', () => {
  it('holds up no run; stopping waits a moment, then records the alerts as not sent', async () => {
    // The real timeout (10 s) and backoff: nothing here may wait for them.
    const { rx, srv } = await setup(() => 'hang', {});
    const s = await createSchedule(srv, {
      command: 'exit 1',
      notify: { webhook_url: `${rx.url}/hook?token=s3cret` },
    });
    const first = await runAndSettle(srv, s.id);
    await rx.waitFor(1);
    // The first alert is unanswered, and the engine goes on: two more runs end meanwhile.
    const second = await runAndSettle(srv, s.id);
    const third = await runAndSettle(srv, s.id);
    expect([second.status, third.status]).toEqual(['failure', 'failure']);
    expect(rx.received).toHaveLength(1); // one schedule's alerts leave in order
    expect((await getCommand(srv, first.command_id)).deliveries).toBeUndefined();

    // Stopping gives the alert on its way its grace (3 s), then cancels it: the
    // outcome is what shows it, not a stopwatch.
    await srv.stop();

    // Opened again, each run says what became of its alert.
    const again = await server({ dataDir: srv.dataDir });
    const shown = async (commandId: string) =>
      (await getCommand(again, commandId)).deliveries?.map((d) => [d.ok, d.attempts, d.error]);
    expect(await shown(first.command_id)).toEqual([[false, 1, 'cancelled: the app is stopping']]);
    expect(await shown(second.command_id)).toEqual([[false, 0, 'the app is stopping']]);
    expect(await shown(third.command_id)).toEqual([[false, 0, 'the app is stopping']]);
    expect(srv.log.lines.join('\n')).not.toContain('s3cret');
  });
});

describe('a schedule deleted while its alert is on its way', () => {
  it('leaves no delivery records behind', async () => {
    const { rx, srv } = await setup(() => 'hang');
    const s = await createSchedule(srv, {
      command: 'exit 1',
      notify: { webhook_url: `${rx.url}/h` },
    });
    await runAndSettle(srv, s.id);
    await rx.waitFor(1);
    expect((await srv.call('DELETE', `/v1/schedules/${s.id}`)).status).toBe(200);
    await rx.waitFor(3); // the attempts go on; their outcome has nowhere to go
    await until(
      async () => srv.log.lines.filter((l) => l.includes('failed after 3 attempt')).length,
      (n) => n === 1,
    );
    expect(existsSync(join(srv.dataDir, 'deliveries', `${s.id}.jsonl`))).toBe(false);
  });
});
