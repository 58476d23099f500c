// @ts-nocheck
// 
// `npm run bench`: how long importing 10,000 schedules takes, end to end, as a user does it:
// the built CLI (`cmdop-scheduler import big.crontab`) against a real server over its
// socket, each time into an empty data directory. Figures only; never pass or fail.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, bench, describe } from 'vitest';
import { startHeadless, type Headless } from '../src/headless/serve';
import { silentLogger } from '../src/core/log';

const CLI = fileURLToPath(new URL('../out/headless/cli.js', import.meta.url));
const COUNT = 10_000;

const work = mkdtempSync(join(tmpdir(), 'cmdop-bench-import-'));
const crontab = join(work, 'big.crontab');
const lines = ['SHELL=/bin/sh', 'PATH=/usr/local/bin:/usr/bin:/bin', ''];
for (let i = 0; i < COUNT; i++) {
  if (i % 500 === 0)
    lines.push(`CRON_TZ=${['UTC', 'Europe/Berlin', 'America/New_York'][(i / 500) % 3]}`);
  lines.push(
    `# Job ${i}`,
    `${i % 60} ${i % 24} * * ${i % 7} /usr/local/bin/job --id ${i} >> /var/log/job-${i}.log 2>&1`,
  );
}
writeFileSync(crontab, `${lines.join('\n')}\n`);

let headless: Headless;

afterAll(() => rmSync(work, { recursive: true, force: true }));
let dataDir = '';

function runImport(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'import', crontab, '--data-dir', dataDir, '--json'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`import failed (${code}): ${err}`)),
    );
  });
}

describe(`import ${COUNT.toLocaleString('en')} schedules`, () => {
  bench(
    `cmdop-scheduler import of a ${COUNT.toLocaleString('en')}-line crontab over the socket (server start included, ~0.1 s)`,
    async () => {
      dataDir = mkdtempSync(join(work, 'data-'));
      headless = await startHeadless({
        dataDir,
        host: '127.0.0.1',
        port: 0,
        clock: { now: () => Date.now() },
        log: silentLogger,
        notifier: { send: async () => undefined },
      });
      try {
        await runImport();
      } finally {
        await headless.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    {
      iterations: 3,
      time: 0,
      warmupIterations: 0,
    },
  );
});
