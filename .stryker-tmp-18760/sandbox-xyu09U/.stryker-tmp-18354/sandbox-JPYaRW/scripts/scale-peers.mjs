#!/usr/bin/env node
// @ts-nocheck
// 
// A peer scheduler for scripts/scale.mjs, in a process of its own so its CPU and memory can
// be read from /proc like ours:
//   node scripts/scale-peers.mjs <raw|guarded|croner|node-cron|fastify> <plan|every-second> <count> [command]
// It prints one JSON line when ready ({"ready":true,"planMs":…} or {"port":…}) and then runs
// until killed. Every peer starts commands the same way: /bin/sh -c <command>, output piped.
import { spawn } from 'node:child_process';
import { fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [peer, scenario, countText, command = 'true'] = process.argv.slice(2);
const count = Number(countText);
// Like ours, a peer captures what the command prints (a scheduler that keeps output must
// pipe it): stdout and stderr are piped and read, so the comparison is of scheduling.
const fire = () => {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', () => {});
  child.stderr.on('data', () => {});
  child.on('error', () => {});
};
// `guarded`: raw timers with what our engine guarantees per run and nothing else: the
// command in its own process group, held at a gate until a record naming it is on disk
// (fsynced), and its end recorded durably too. The floor for a scheduler that leaves no
// orphan and loses no run; the rest of our cost is ours.
const GATE = 'read -r go <&3 || exit 125; exec 3<&-; ';
let history = null;
const record = (line) => {
  if (history === null) {
    // Removed at once and written through the open descriptor: a killed peer leaves nothing.
    const dir = mkdtempSync(join(tmpdir(), 'cmdop-peer-'));
    history = openSync(join(dir, 'history.jsonl'), 'a', 0o600);
    rmSync(dir, { recursive: true });
  }
  writeSync(history, `${JSON.stringify(line)}\n`);
  fsyncSync(history);
};
let runs = 0;
const fireGuarded = () => {
  const id = ++runs;
  const child = spawn('/bin/sh', ['-c', GATE + command], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', () => {});
  child.stderr.on('data', () => {});
  child.on('error', () => {});
  child.stdio[3].on('error', () => {});
  record({ id, pgid: child.pid, started_at: new Date().toISOString() });
  child.stdio[3].end('go\n');
  child.on('close', (code) =>
    record({ id, exit_code: code, finished_at: new Date().toISOString() }),
  );
};
const FAR = '0 0 1 1 *'; // yearly: planned, never due while measured

async function plan() {
  const started = performance.now();
  if (peer === 'raw') {
    // What a timer costs with no cron at all: the floor.
    for (let i = 0; i < count; i++) setTimeout(fire, 2 ** 31 - 1 - i);
  } else if (peer === 'croner') {
    const { Cron } = await import('croner');
    for (let i = 0; i < count; i++) new Cron(FAR, { timezone: 'UTC' }, fire);
  } else if (peer === 'node-cron') {
    const cron = (await import('node-cron')).default;
    for (let i = 0; i < count; i++) cron.schedule(FAR, fire, { timezone: 'UTC' });
  }
  return performance.now() - started;
}

async function everySecond() {
  if (peer === 'raw' || peer === 'guarded') {
    const run = peer === 'raw' ? fire : fireGuarded;
    for (let i = 0; i < count; i++) {
      const arm = () => setTimeout(() => (run(), arm()), 1000 - (Date.now() % 1000));
      arm();
    }
  } else if (peer === 'croner') {
    const { Cron } = await import('croner');
    for (let i = 0; i < count; i++) new Cron('* * * * * *', fire);
  } else if (peer === 'node-cron') {
    const cron = (await import('node-cron')).default;
    for (let i = 0; i < count; i++) cron.schedule('* * * * * *', fire);
  }
}

if (peer === 'fastify') {
  // The floor for an HTTP write: a trivial fastify route on loopback.
  const Fastify = (await import('fastify')).default;
  const app = Fastify();
  app.post('/x', async (req) => ({ data: req.body }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ ready: true, port: app.server.address().port }));
} else if (scenario === 'plan') {
  console.log(JSON.stringify({ ready: true, planMs: await plan() }));
} else {
  await everySecond();
  console.log(JSON.stringify({ ready: true }));
}
setInterval(() => {}, 1 << 30);
