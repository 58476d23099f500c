// "Send test" (each channel once, request overrides, what is wrong named), the dropped-alert
// counter and the deliveries file a schedule keeps.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertsRig, run, schedule } from '../helpers/alerts-rig';

const { rig, receiver } = alertsRig(afterEach);

describe('Alerts: test sends and counters', () => {
  it('"Send test" tries each channel once and answers with how each went', async () => {
    const hc = await receiver((req) => (req.path.startsWith('/hook') ? 200 : 404));
    const s = schedule({ webhook_url: `${hc.url}/hook`, ping_url: `${hc.url}/ping/abc` });
    const r = rig(s);
    const result = await r.alerts.testNotify('sch_1');
    expect(result.ok).toBe(false);
    expect(result.results).toEqual([
      { channel: 'webhook', url: `${hc.url}/…`, ok: true, status_code: 200, error: null },
      {
        channel: 'ping',
        url: `${hc.url}/…/log`,
        ok: false,
        status_code: 404,
        error: 'HTTP 404: nope',
      },
    ]);
    const hook = hc.received.find((q) => q.path === '/hook');
    expect(hook?.json).toMatchObject({
      event: 'test',
      run: {
        id: 'run_test',
        command_id: 'cmd_test',
        status: 'success',
        exit_code: 0,
        duration: 1200,
        finished_at: '2026-03-01T10:00:00Z',
        trigger: 'manual',
        stdout_tail: 'This is a test from Cmdop Scheduler: no command ran.\n',
      },
    });
    expect(hc.received.map((q) => q.path).sort()).toEqual(['/hook', '/ping/abc/log']);
  });

  it('"Send test" tries what the request sets over the schedule, webhook only', async () => {
    const hc = await receiver();
    const r = rig(schedule({}, { id: 'sch_1' }));
    const result = await r.alerts.testNotify('sch_1', {
      notify: { webhook_url: `${hc.url}/other`, webhook_format: 'slack' },
    });
    expect(result).toEqual({
      ok: true,
      results: [
        { channel: 'webhook', url: `${hc.url}/…`, ok: true, status_code: 200, error: null },
      ],
    });
    expect(hc.received[0]?.path).toBe('/other');
    expect(Object.keys(hc.received[0]?.json)).toEqual(['text']);
  });

  it('"Send test" names what is wrong: an unknown schedule, a bad URL, no channel', async () => {
    const r = rig(schedule({}));
    await expect(r.alerts.testNotify('sch_nope')).rejects.toThrow('Schedule sch_nope not found');
    await expect(
      r.alerts.testNotify('sch_1', { notify: { webhook_url: 'ftp://example.com/x' } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^Invalid request: notify\.webhook_url: /),
      details: { fields: { 'notify.webhook_url': expect.any(String) } },
    });
    await expect(r.alerts.testNotify('sch_1')).rejects.toThrow(
      'Invalid request: notify: has no webhook_url or ping_url to test; set one (here or on the schedule) first',
    );
    await expect(r.alerts.testNotify('sch_1', { bogus: 1 } as never)).rejects.toThrow(
      /^Invalid request/,
    );
  });

  it('counts no dropped alerts while the queue keeps up', () => {
    const r = rig(schedule({}));
    expect(r.alerts.dropped).toBe(0);
  });

  it('writes each delivery to the schedule file under deliveries/', async () => {
    const hc = await receiver();
    const s = schedule({ ping_url: hc.url });
    const r = rig(s);
    const done = r.deliveries(1);
    r.alerts.onRunFinished(run('success'), s);
    await done;
    await r.alerts.close(0);
    const text = readFileSync(join(r.dataDir, 'deliveries', 'sch_1.jsonl'), 'utf8');
    expect(JSON.parse(text.trim())).toMatchObject({ run: 'run_1', channel: 'ping', ok: true });
  });
});
