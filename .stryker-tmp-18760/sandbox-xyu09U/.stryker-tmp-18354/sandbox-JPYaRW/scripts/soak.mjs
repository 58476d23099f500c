#!/usr/bin/env node
// @ts-nocheck
// 
// Soak: a real `cmdop-scheduler serve` with N every-second schedules for M minutes, printing
// its RSS and open file descriptors over time. Memory must level off once history reaches
// its retention (set low here so that happens within minutes) and fds must stay flat.
//
//   npm run build:headless && node scripts/soak.mjs [--minutes 5] [--schedules 50] [--keep 120]
//
// Linux only (reads /proc). Not part of `npm test`: it takes minutes and measures, never fails.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    schedules: { type: 'string', default: '50' },
    keep: { type: 'string', default: '120' },
    every: { type: 'string', default: '15' },
  },
});
const minutes = Number(values.minutes);
const count = Number(values.schedules);
const keep = Number(values.keep);
const everyS = Number(values.every);

const dataDir = mkdtempSync(join(tmpdir(), 'cmdop-soak-'));
const cli = new URL('../out/headless/cli.js', import.meta.url).pathname;
const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, CMDOP_SCHEDULER_TOKEN: '' },
});
let banner = '';
const ready = new Promise((resolve, reject) => {
  child.stdout.on('data', (d) => {
    banner += d;
    const url = /listening on (\S+)/.exec(banner)?.[1];
    const token = /API token: (\S+)/.exec(banner)?.[1];
    if (url && token) resolve({ url, token });
  });
  child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
});
const { url, token } = await ready;
const call = (method, path, body) =>
  fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  }).then((r) => r.json());

await call('PATCH', '/v1/settings', {
  history: { max_runs: keep },
  notifications: { muted: true },
});
for (let i = 0; i < count; i++) {
  await call('POST', '/v1/schedules', {
    name: `soak ${i}`,
    machine_id: 'local',
    command: `echo "soak ${i} $(date +%s)"`,
    cron: '* * * * * *',
  });
}

function sample() {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const fds = readdirSync(`/proc/${child.pid}/fd`).length;
  return { rssMiB: (rssKiB / 1024).toFixed(1), fds };
}

console.log(
  `soak: ${count} every-second schedules, history kept at ${keep} runs each, ${minutes} min`,
);
console.log('elapsed  RSS MiB  fds  runs recorded');
const started = Date.now();
const end = started + minutes * 60_000;
for (;;) {
  const { rssMiB, fds } = sample();
  const first = (await call('GET', '/v1/schedules?limit=1')).data[0];
  const runs = (await call('GET', `/v1/schedules/${first.id}/history?limit=1`)).meta.total;
  const elapsed = Math.round((Date.now() - started) / 1000);
  console.log(
    `${String(elapsed).padStart(6)} s ${rssMiB.padStart(8)} ${String(fds).padStart(4)}  ${runs}`,
  );
  if (Date.now() >= end) break;
  await new Promise((r) => setTimeout(r, everyS * 1000));
}
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
rmSync(dataDir, { recursive: true, force: true });
