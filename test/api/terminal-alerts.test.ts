// The alert flags of the terminal client and `test-alerts`: the built binary as a child
// process against a real `serve`, with a real receiver on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOnce, runCli, type CliProcess } from '../helpers/cli';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { removeDir, tempDir } from '../helpers/server';

let dataDir: string;
let serve: CliProcess;
let rx: Receiver;

const local = (...args: string[]) => cliOnce([...args, '--data-dir', dataDir]);

beforeAll(async () => {
  dataDir = tempDir('cmdop-cli-alerts-');
  serve = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
  rx = await startReceiver((r) => (r.path.startsWith('/gone') ? 410 : 200));
  await serve.listening;
});

afterAll(async () => {
  serve.child.kill('SIGTERM');
  await serve.exited;
  await rx.close();
  removeDir(dataDir);
});

describe('alert flags', () => {
  it('add and edit set the webhook, its format and the ping; show never prints the secret', async () => {
    const added = await local(
      'add',
      ...['--name', 'Alerted', '--command', 'true', '--cron', '@daily'],
      ...['--webhook', `${rx.url}/hook/T0SECRET`, '--webhook-format', 'slack'],
      ...['--ping', `${rx.url}/ping/uuid-secret`, '--json'],
    );
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout).notify).toEqual({
      on_success: false,
      on_failure: true,
      webhook_url: `${rx.url}/hook/T0SECRET`,
      webhook_format: 'slack',
      ping_url: `${rx.url}/ping/uuid-secret`,
    });
    const shown = await local('show', 'Alerted');
    expect(shown.stdout).toContain(`alerts:        webhook ${rx.url}/… (slack), ping ${rx.url}/…`);
    expect(shown.stdout).not.toContain('SECRET');

    const refused = await local('edit', 'Alerted', '--webhook', 'http://192.0.2.1/hook');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('notify.webhook_url');
    expect(refused.stderr).toContain('allow_http');
    const allowed = await local(
      'edit',
      'Alerted',
      ...['--webhook', 'http://192.0.2.1/hook', '--allow-http', '--ping', 'none', '--json'],
    );
    expect(JSON.parse(allowed.stdout).notify).toEqual({
      on_success: false,
      on_failure: true,
      webhook_url: 'http://192.0.2.1/hook',
      webhook_format: 'slack',
      allow_http: true,
    });
  });

  it('test-alerts sends one sample to each channel and exits 1 when one fails', async () => {
    await local(
      'add',
      ...['--name', 'Tested', '--command', 'true', '--cron', '@daily'],
      ...['--webhook', `${rx.url}/hook/ok`, '--ping', `${rx.url}/gone/uuid`],
    );
    const res = await local('test-alerts', 'Tested');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      `webhook ${rx.url}/…  ok (HTTP 200)\nping    ${rx.url}/…/log  failed: HTTP 410: nope\n`,
    );
    expect(res.stderr).toContain('a channel did not accept the test');
    // Both at once: a person is waiting.
    expect(rx.received.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /gone/uuid/log',
      'POST /hook/ok',
    ]);
    await local('edit', 'Tested', '--ping', 'none');
    expect((await local('test-alerts', 'Tested')).code).toBe(0);
  });
});
