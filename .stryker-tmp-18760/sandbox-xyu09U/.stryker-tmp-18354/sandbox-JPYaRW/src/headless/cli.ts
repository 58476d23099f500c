// @ts-nocheck
// 
// `cmdop-scheduler serve`: the scheduler for machines without a desktop.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../core/data-dir';
import { CMDOP_CLOUD_URL, remoteUrlError, SELF_HOSTED_URL_EXAMPLE } from '../shared/settings';
import { DataDirLockedError } from '../core/lock';
import { DataDirPermissionError } from '../core/private-fs';
import { consoleLogger } from '../core/log';
import { installSafetyNet } from '../core/safety-net';
import { describeStorageError, isFsError } from '../core/storage-health';
import { systemClock } from '../shared/time';
import { startHeadless } from './serve';
import { main as runTerminal } from '../cli/main';

const USAGE = `Usage: cmdop-scheduler serve [--host 127.0.0.1] [--port 7878] [--data-dir DIR]
                             [--remote-url URL]

  --host       address to bind (default 127.0.0.1; anything else exposes the API beyond this machine)
  --port       port to listen on (default 7878; 0 picks a free port)
  --data-dir   where schedules, history and the token live (default: ${defaultDataDir()})
  --remote-url a Cmdop-compatible API for other machines' schedules, with CMDOP_API_TOKEN:
               Cmdop's cloud ${CMDOP_CLOUD_URL} or a self-hosted ${SELF_HOSTED_URL_EXAMPLE}

Environment:
  CMDOP_SCHEDULER_TOKEN   use this API token instead of the stored one
  CMDOP_API_TOKEN         the token for the Cmdop API (remote machines)
  CMDOP_POWER_SUPPLY_ROOT where battery power is read (default /sys/class/power_supply)
`;

function fail(message: string): never {
  process.stderr.write(`cmdop-scheduler: ${message}\n`);
  process.exit(2);
}

function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`--port must be an integer 0-65535, got '${text}'`);
  }
  return port;
}

async function main(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '7878' },
        'data-dir': { type: 'string' },
        'remote-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals[0] !== 'serve' || positionals.length > 1) fail(`expected 'serve'\n\n${USAGE}`);

  const log = consoleLogger();
  installSafetyNet(process, log);
  const host = values.host;
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host);
  if (!loopback) {
    log.warn(`binding ${host}: the API is reachable from other machines (token still required)`);
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const remoteUrl = values['remote-url'];
  const urlProblem = remoteUrl === undefined ? null : remoteUrlError(remoteUrl);
  if (urlProblem) fail(`--remote-url ${urlProblem}, got '${remoteUrl}'`);
  const remoteToken = process.env.CMDOP_API_TOKEN?.trim() || undefined;
  const remoteOverride =
    remoteUrl !== undefined || remoteToken !== undefined
      ? { url: remoteUrl, token: remoteToken }
      : undefined;
  let headless;
  try {
    headless = await startHeadless({
      dataDir,
      host,
      port: parsePort(values.port),
      envToken: process.env.CMDOP_SCHEDULER_TOKEN,
      remoteOverride,
      clock: systemClock,
      log,
      powerSupplyRoot: process.env.CMDOP_POWER_SUPPLY_ROOT || undefined,
      // The CLI is built to out/headless/cli.js; the renderer to out/renderer.
      uiDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    });
  } catch (e) {
    if (e instanceof DataDirLockedError || e instanceof DataDirPermissionError) {
      process.stderr.write(`cmdop-scheduler: ${e.message}\n`);
      process.exit(1);
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      fail(`port ${values.port} on ${host} is already in use; try --port 0`);
    // Not being able to hold the data directory is the one failure that ends the process.
    if (isFsError(e)) {
      const where = describeStorageError(e.path ?? dataDir, e);
      process.stderr.write(`cmdop-scheduler: cannot use the data directory ${dataDir}: ${where}\n`);
      process.exit(1);
    }
    throw e;
  }
  const { server } = headless;
  const token = headless.host.token;
  // One write, so a script reading stdout sees the whole banner at once.
  const shownToken = token.origin === 'env' ? '$CMDOP_SCHEDULER_TOKEN' : token.token;
  const banner = [
    `listening on ${server.url}`,
    `data directory: ${dataDir}`,
    token.origin === 'env'
      ? 'API token: from CMDOP_SCHEDULER_TOKEN'
      : `API token: ${token.token}  (stored in ${token.path})`,
    !server.ui
      ? 'the browser UI is not built: run `npm run build` to serve it at /'
      : token.origin === 'env'
        ? // A token from the environment is not echoed (it may be in a service's journal):
          // the link opens a page that asks for it.
          `open the UI: ${server.url}/  (paste the value of CMDOP_SCHEDULER_TOKEN when asked)`
        : `open the UI: ${server.url}/#token=${token.token}`,
    `try the API: curl -H "Authorization: Bearer ${shownToken}" ${server.url}/v1/schedules`,
  ];
  process.stdout.write(banner.join('\n') + '\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received; shutting down`);
    headless.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error(`shutdown failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

const argv = process.argv.slice(2);
// `serve` runs the scheduler; every other command is the terminal client, which talks to it.
if (argv[0] !== 'serve') runTerminal(argv);
else
  main(argv).catch((e: unknown) => {
    process.stderr.write(`cmdop-scheduler: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
