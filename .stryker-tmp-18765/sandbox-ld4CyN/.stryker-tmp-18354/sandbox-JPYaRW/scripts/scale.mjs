#!/usr/bin/env node
// @ts-nocheck
// 
// Scale: 10,000 schedules and 100,000 runs, measured side by side with peers in the same run
// (raw setTimeout + spawn, croner, node-cron, a trivial fastify route), printed as a table
// with ratios. Takes a few minutes; measures, never fails. Linux (reads /proc).
//
//   npm run build:headless && npm run bench:scale [-- --only startup,writes] [--windows 3]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    schedules: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '100000' },
    windows: { type: 'string', default: '3' },
  },
});
const N = Number(values.schedules);
const RUNS = Number(values.runs);
const WINDOWS = Number(values.windows);
const only = values.only ? new Set(values.only.split(',')) : null;
const want = (name) => only === null || only.has(name);

const CLI = new URL('../out/headless/cli.js', import.meta.url).pathname;
const PEERS = new URL('./scale-peers.mjs', import.meta.url).pathname;
const PROBE = new URL('./heap-probe.cjs', import.meta.url).pathname;
const CLK_TCK = 100;
const rows = [];
const dirs = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, unit) => (n >= 100 ? `${Math.round(n)} ${unit}` : `${n.toFixed(2)} ${unit}`);

function row(figure, ours, peers, target) {
  rows.push({ figure, ours, peers, target });
  console.log(`  ${figure}: ${ours}${peers ? ` | ${peers}` : ''}`);
}

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'cmdop-scale-'));
  dirs.push(d);
  return d;
}

function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

function rssMiB(pid) {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return kib / 1024;
}

/** Our server, started on `dataDir`; resolves once GET /v1/schedules answers with next runs. */
async function serve(dataDir, env = {}) {
  const started = performance.now();
  const node = ['--expose-gc', '-r', PROBE, CLI];
  const child = spawn(process.execPath, [...node, 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CMDOP_SCHEDULER_TOKEN: '', SHELL: '/bin/sh', ...env },
  });
  let out = '';
  const { url, token } = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      const token = /API token: (\S+)/.exec(out)?.[1];
      if (url && token) resolve({ url, token });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const call = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  // "First correct answer": a page of schedules, each with its next run computed.
  for (;;) {
    const res = await call('GET', '/v1/schedules?limit=20');
    if (res.status === 200 && res.json.data.every((s) => !s.enabled || s.next_run)) break;
    await sleep(5);
  }
  const readyMs = performance.now() - started;
  let errText = '';
  child.stderr.on('data', (d) => (errText += d));
  return {
    child,
    call,
    readyMs,
    /** Live heap bytes after a full GC. */
    async heap() {
      const before = errText.length;
      child.kill('SIGUSR2');
      for (;;) {
        const m = /HEAP (\d+)/.exec(errText.slice(before));
        if (m) return Number(m[1]);
        await sleep(10);
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    },
  };
}

async function peer(name, scenario, count, command) {
  const child = spawn(process.execPath, [PEERS, name, scenario, String(count), command ?? 'true'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    child.on('exit', (code) => reject(new Error(`peer ${name} exited ${code}`)));
  });
  return {
    child,
    info,
    stop: () => {
      child.kill('SIGKILL');
      return new Promise((r) => child.on('exit', r));
    },
  };
}

function id(prefix, n) {
  return `${prefix}_${String(n).padStart(16, '0')}`;
}

/** A data directory holding `count` schedules (the store format of record, as written). */
function seededDir(count, cron = '0 0 1 1 *', command = 'true') {
  const dir = tempDir();
  const schedules = {};
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  for (let i = 0; i < count; i++) {
    const at = new Date(t0 + i).toISOString();
    schedules[id('sched', i)] = {
      id: id('sched', i),
      name: `job ${i}`,
      description: '',
      command,
      cron,
      enabled: true,
      timezone: ['UTC', 'America/New_York', 'Europe/Berlin'][i % 3],
      timeout: null,
      notify: { on_success: false, on_failure: false },
      cwd: null,
      env: {},
      overlap: 'skip',
      catch_up: false,
      created_at: at,
      updated_at: at,
    };
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, schedules }));
  return dir;
}

async function p50(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return median(times);
}

async function cpuWindows(pid, windows, windowMs) {
  const out = [];
  for (let i = 0; i < windows; i++) {
    const before = cpuMs(pid);
    await sleep(windowMs);
    out.push(cpuMs(pid) - before);
  }
  return out;
}

console.log(`scale: ${N} schedules, ${RUNS} runs; peers measured in the same run`);

if (want('startup')) {
  console.log('start-up');
  // RSS is read after 5 s idle, for us and the peers alike: start-up garbage is not kept.
  const settled = async (pid) => (await sleep(5000), rssMiB(pid));
  const empty = await serve(tempDir());
  const emptyRss = await settled(empty.child.pid);
  await empty.stop();
  // A first start computes every next fire; a restart finds them remembered (plan.json), as
  // every start after the first does. Each figure is the median of three starts: on a
  // shared machine one start is noise.
  const results = {};
  const starts = (label, ms) => (results[label] ??= []).push(ms);
  for (let round = 0; round < 3; round++) {
    for (const [label, cron] of [
      ['yearly', '0 0 1 1 *'],
      ['daily', '0 3 * * *'],
    ]) {
      const dir = seededDir(N, cron);
      const first = await serve(dir);
      starts(label, first.readyMs);
      await sleep(4000); // let it finish planning and remember the fires
      await first.stop();
      const again = await serve(dir);
      starts(`${label} restart`, again.readyMs);
      if (label === 'yearly' && round === 0)
        results.rss = (await settled(again.child.pid)) - emptyRss;
      await again.stop();
    }
  }
  for (const [k, v] of Object.entries(results)) if (Array.isArray(v)) results[k] = median(v);
  const planned = {};
  const peerRss = {};
  const base = await peer('raw', 'plan', 0);
  const baseRss = await settled(base.child.pid);
  await base.stop();
  for (const name of ['raw', 'croner', 'node-cron']) {
    const p = await peer(name, 'plan', N);
    planned[name] = p.info.planMs;
    peerRss[name] = (await settled(p.child.pid)) - baseRss;
    await p.stop();
  }
  const peersText = Object.entries(planned)
    .map(([k, v]) => `${k} ${fmt(v / 1000, 's')}`)
    .join(', ');
  const ratio = (ms) => `${(ms / empty.readyMs).toFixed(2)}×`;
  row(
    `start-up to first correct GET /v1/schedules, ${N} jobs (empty: ${fmt(empty.readyMs / 1000, 's')})`,
    `restart ${fmt(results['yearly restart'] / 1000, 's')} (${ratio(results['yearly restart'])}) yearly, ` +
      `${fmt(results['daily restart'] / 1000, 's')} (${ratio(results['daily restart'])}) daily; ` +
      `first start ${fmt(results.yearly / 1000, 's')} (${ratio(results.yearly)}) yearly, ` +
      `${fmt(results.daily / 1000, 's')} (${ratio(results.daily)}) daily`,
    `plan ${N} jobs: ${peersText}`,
    '≤ 1.5× empty',
  );
  row(
    'extra RSS with the schedules (restarted, 5 s idle)',
    `+${results.rss.toFixed(1)} MiB`,
    Object.entries(peerRss)
      .map(([k, v]) => `${k} +${v.toFixed(1)} MiB`)
      .join(', '),
    '≤ +20 MiB',
  );
}

if (want('writes') || want('list')) {
  console.log('writes and lists');
  const s = await serve(seededDir(N));
  const post = await p50(200, (i) =>
    s.call('POST', '/v1/schedules', {
      name: `new ${i}`,
      machine_id: 'local',
      command: 'true',
      cron: '0 3 * * *',
    }),
  );
  const first = (await s.call('GET', '/v1/schedules?limit=1')).json.data[0].id;
  const patch = await p50(200, (i) => s.call('PATCH', `/v1/schedules/${first}`, { name: `p${i}` }));
  const list = await p50(200, () => s.call('GET', '/v1/schedules?limit=20&offset=5000'));
  await s.stop();
  const trivial = await peer('fastify', 'plan', 0);
  const url = `http://127.0.0.1:${trivial.info.port}/x`;
  const floor = await p50(200, () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    }).then((r) => r.json()),
  );
  await trivial.stop();
  row(
    `POST / PATCH p50 with ${N} schedules`,
    `${fmt(post, 'ms')} / ${fmt(patch, 'ms')} (${(post / floor).toFixed(1)}× / ${(patch / floor).toFixed(1)}× the floor)`,
    `trivial fastify route ${fmt(floor, 'ms')}`,
    '≤ 5 ms, durable',
  );
  row(`GET /v1/schedules?limit=20 p50`, fmt(list, 'ms'), '', '≤ 1 ms');
}

if (want('idle')) {
  console.log(`idle CPU (${WINDOWS} windows of 20 s each)`);
  // A restarted server (fires remembered), once settled: idle is what it does when nothing
  // is due, not its start-up.
  const dir = seededDir(N);
  await (await serve(dir)).stop();
  const s = await serve(dir);
  // V8 collects start-up's garbage in one full GC once allocation stops (its memory
  // reducer, ~10-20 s later): that is the tail of start-up, so idle is measured after it.
  await sleep(30_000);
  const ours = await cpuWindows(s.child.pid, WINDOWS, 20_000);
  await s.stop();
  const peers = [];
  for (const name of ['raw', 'croner', 'node-cron']) {
    const p = await peer(name, 'plan', N);
    const w = await cpuWindows(p.child.pid, WINDOWS, 20_000);
    peers.push(`${name} ${fmt(median(w), 'ms')} (max ${fmt(Math.max(...w), 'ms')})`);
    await p.stop();
  }
  row(
    `idle CPU per 20 s, ${N} schedules`,
    `${fmt(median(ours), 'ms')} median, ${fmt(Math.max(...ours), 'ms')} worst`,
    peers.join(', '),
    '≤ 1 ms, no spikes',
  );
}

if (want('fire')) {
  console.log('fire latency (20 fires)');
  const file = join(tempDir(), 'fires');
  const command = `date +%s%N >> ${file}`;
  const latencies = () => {
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    writeFileSync(file, '');
    return median(lines.map((l) => (Number(l) / 1e6) % 1000));
  };
  writeFileSync(file, '');
  const s = await serve(seededDir(1, '* * * * * *', command));
  await sleep(21_000);
  const ours = latencies();
  await s.stop();
  const peers = [];
  for (const name of ['raw', 'guarded', 'croner']) {
    const p = await peer(name, 'every-second', 1, command);
    await sleep(21_000);
    peers.push(`${name} ${fmt(latencies(), 'ms')}`);
    await p.stop();
  }
  row('fire → command running, 1 schedule, p50', fmt(ours, 'ms'), peers.join(', '), '≤ raw + 1 ms');
}

if (want('load')) {
  console.log('CPU under load (100 every-second schedules, 20 s)');
  const s = await serve(seededDir(100, '* * * * * *'));
  await s.call('PATCH', '/v1/settings', { notifications: { muted: true } });
  await sleep(3000);
  const ours = (await cpuWindows(s.child.pid, 1, 20_000))[0] / 20;
  await s.stop();
  const peers = [];
  for (const name of ['raw', 'guarded', 'croner']) {
    const p = await peer(name, 'every-second', 100);
    await sleep(3000);
    peers.push(`${name} ${fmt((await cpuWindows(p.child.pid, 1, 20_000))[0] / 20, 'ms')}`);
    await p.stop();
  }
  row('CPU per second, 100 every-second schedules', fmt(ours, 'ms'), peers.join(', '), '≤ croner');
}

if (want('history')) {
  console.log(`history (${RUNS} runs in one schedule)`);
  const withRuns = async (runs) => {
    const dir = seededDir(1);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config.settings = { history: { max_runs: 100_000, max_age_days: 3650 } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    mkdirSync(join(dir, 'history'));
    const now = Date.now();
    const lines = [];
    for (let i = 0; i < runs; i++) {
      const start = new Date(now - (runs - i) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      lines.push(
        JSON.stringify({
          id: id('run', i),
          started_at: start,
          finished_at: start,
          exit_code: 0,
          duration: 12,
          schedule_id: id('sched', 0),
          command_id: id('cmd', i),
          trigger: 'schedule',
          status: 'success',
          scheduled_for: start,
          signal: null,
          truncated: false,
          has_output: false,
        }),
      );
    }
    writeFileSync(join(dir, 'history', `${id('sched', 0)}.jsonl`), `${lines.join('\n')}\n`);
    return serve(dir);
  };
  const none = await withRuns(0);
  const heap0 = await none.heap();
  await none.stop();
  const s = await withRuns(RUNS);
  const heap1 = await s.heap();
  const since = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const path = `/v1/schedules/${id('sched', 0)}/history`;
  const bySince = await p50(200, () => s.call('GET', `${path}?since=${since}&limit=20`));
  const byLimit = await p50(200, () => s.call('GET', `${path}?limit=20`));
  await s.stop();
  row(
    `history ?since=24h p50, ${RUNS} runs`,
    fmt(bySince, 'ms'),
    `?limit=20: ${fmt(byLimit, 'ms')}`,
    '≤ 1 ms',
  );
  row(
    'history index memory per stored run',
    `${Math.round((heap1 - heap0) / RUNS)} B (live heap after GC)`,
    '',
    '≤ 200 B',
  );
}

if (want('bulk')) {
  console.log(`bulk create (${N} schedules)`);
  const s = await serve(tempDir());
  const batch = (from) =>
    Array.from({ length: 1000 }, (_, i) => ({
      name: `bulk ${from + i}`,
      machine_id: 'local',
      command: 'true',
      cron: '0 3 * * *',
    }));
  const started = performance.now();
  let status = 0;
  for (let i = 0; i < N; i += 1000) {
    status = (await s.call('POST', '/v1/schedules/batch', { items: batch(i) })).status;
    if (status >= 300) break;
  }
  const ms = performance.now() - started;
  await s.stop();
  row(
    `creating ${N} schedules through the API`,
    status < 300 ? fmt(ms / 1000, 's') : `n/a (batch answered ${status})`,
    '',
    '≤ 10 s',
  );
}

console.log('\n| figure | ours | peers (same run) | target |\n| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.figure} | ${r.ours} | ${r.peers} | ${r.target} |`);
for (const d of dirs) rmSync(d, { recursive: true, force: true });
