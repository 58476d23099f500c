#!/usr/bin/env node
// A peer scheduler for scripts/scale.mjs, in a process of its own so its CPU and memory can
// be read from /proc like ours:
//   node scripts/scale-peers.mjs <raw|croner|node-cron|fastify> <plan|every-second> <count> [command]
// It prints one JSON line when ready ({"ready":true,"planMs":…} or {"port":…}) and then runs
// until killed. Every peer starts commands the same way: /bin/sh -c <command>, output piped.
import { spawn } from 'node:child_process';

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
  if (peer === 'raw') {
    for (let i = 0; i < count; i++) {
      const arm = () => setTimeout(() => (fire(), arm()), 1000 - (Date.now() % 1000));
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
