// The decision log with real processes and real disks: a real `serve` stopped and started
// across planned fires records them as missed while the app was not running, and `why`
// (the built terminal client) says so in one sentence; a decision file with unreadable
// lines is read around them; a full disk keeps the decisions in memory and the engine firing.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/shared/decisions-api';
import { cliOnce } from '../helpers/cli';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, type PolicyServer } from '../helpers/policies';
import { eventually, startServe, type ServeProcess } from '../helpers/serve-process';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('a real serve process stopped and started across planned fires', () => {
  it('records them as missed (app_stopped) with the span, and `why` says so', async () => {
    const dataDir = dir();
    let serve: ServeProcess = await startServe(dataDir);
    cleanups.push(() => serve.stop());
    const created = await serve.call('POST', '/v1/schedules', {
      name: 'Every second',
      machine_id: 'local',
      command: 'true',
      cron: '* * * * * *',
    });
    expect(created.status).toBe(201);
    const id = created.json.data.id as string;
    expect(await serve.stop()).toBe(0);
    const stoppedAt = Date.now();
    // Planned fires pass while nothing runs (a wait, not a measurement).
    while (Date.now() < stoppedAt + 2500) await new Promise((r) => setTimeout(r, 100));
    serve = await startServe(dataDir);
    const missed = await eventually('the missed span', async () => {
      const res = await serve.call('GET', `/v1/schedules/${id}/decisions?limit=100`);
      return (res.json.data as Decision[]).find((d) => d.kind === 'missed');
    });
    expect(missed).toMatchObject({ reason: 'app_stopped', ran: false, catch_up: false });
    expect(missed.count).toBeGreaterThanOrEqual(2);
    expect(Date.parse(missed.span_from as string)).toBeLessThanOrEqual(
      Date.parse(missed.scheduled_for),
    );
    expect(Date.parse(missed.last_scheduled_for)).toBeLessThanOrEqual(
      Date.parse(missed.span_to as string),
    );
    const why = await cliOnce([
      'why',
      'Every second',
      '--at',
      missed.scheduled_for,
      '--data-dir',
      dataDir,
    ]);
    expect(why.stderr).toBe('');
    expect(why.code).toBe(0);
    expect(why.stdout).toMatch(
      /^At \d\d:\d\d(:(?!00)\d\d)? UTC on \d+ \w+ the job did not run: the app was not running from \d\d:\d\d(:\d\d)? on \d+ \w+ to \d\d:\d\d(:\d\d)? on \d+ \w+; catch-up is off for this schedule\.\n$/,
    );
    const json = JSON.parse(
      (await cliOnce(['why', id, '--at', missed.scheduled_for, '--json', '--data-dir', dataDir]))
        .stdout,
    );
    expect(json.data.decision.id).toBe(missed.id);
    expect(json.data.sentence).toBe(why.stdout.trimEnd());
  });
});

async function server(dataDir: string, iso: string): Promise<PolicyServer> {
  const p = await policyServer({ time: new FakeTime(iso), dataDir });
  cleanups.push(() => p.stop());
  return p;
}

describe('a bad day', () => {
  it('a decision file with unreadable lines: they are skipped with a log line, firing goes on', async () => {
    const dataDir = dir();
    let p = await server(dataDir, '2026-06-01T10:00:00Z');
    const s = await p.create({ command: 'true', cron: '*/10 * * * *' });
    p.time.advanceTo('2026-06-01T10:10:00Z');
    await p.settled(s.id, 1);
    await p.stop();
    const file = join(dataDir, 'decisions', `${s.id}.jsonl`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'decisions')).mode & 0o777).toBe(0o700);
    appendFileSync(file, '{"id": "dec_x", "kind": "exploded"\nnot json at all\n{"id":1}\n');
    p = await server(dataDir, '2026-06-01T10:15:00Z');
    const read = await p.srv.call('GET', `/v1/schedules/${s.id}/decisions`);
    expect(read.status).toBe(200);
    expect(read.json.data.map((d: Decision) => d.kind)).toEqual(['ran']);
    expect(p.srv.log.lines.filter((l) => l.includes('unreadable'))).toEqual([
      `warn decision log of ${s.id}: 3 unreadable lines were skipped (${file})`,
    ]);
    p.time.advanceTo('2026-06-01T10:20:00Z');
    await p.settled(s.id, 2);
    const after = await p.srv.call('GET', `/v1/schedules/${s.id}/decisions`);
    expect(after.json.data.map((d: Decision) => [d.kind, d.scheduled_for])).toEqual([
      ['ran', '2026-06-01T10:20:00Z'],
      ['ran', '2026-06-01T10:10:00Z'],
    ]);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a full disk: decisions stay in memory, the engine keeps firing, and they land later',
    async () => {
      const mnt = join(dir(), 'mnt');
      mkdirSync(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m,mode=0700', 'tmpfs', mnt]);
      cleanups.push(() => execFileSync('umount', ['-l', mnt]));
      const dataDir = join(mnt, 'data');
      const p = await server(dataDir, '2026-06-01T10:00:00Z');
      const s = await p.create({ command: 'true', cron: '*/10 * * * *' });
      const filler = join(mnt, 'filler');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']);
      } catch {
        // dd ends with ENOSPC: the disk is full
      }
      p.time.advanceTo('2026-06-01T10:10:00Z');
      await p.settled(s.id, 1);
      p.time.advanceTo('2026-06-01T10:20:00Z');
      await p.settled(s.id, 2);
      const read = await p.srv.call('GET', `/v1/schedules/${s.id}/decisions`);
      expect(read.json.data.map((d: Decision) => d.kind)).toEqual(['ran', 'ran']);
      expect(p.srv.log.lines.some((l) => l.includes('the decision log cannot be written'))).toBe(
        true,
      );
      rmSync(filler);
      p.time.advanceTo('2026-06-01T10:30:00Z');
      await p.settled(s.id, 3);
      const lines = readFileSync(join(dataDir, 'decisions', `${s.id}.jsonl`), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as Decision).scheduled_for);
      expect(lines).toEqual([
        '2026-06-01T10:10:00Z',
        '2026-06-01T10:20:00Z',
        '2026-06-01T10:30:00Z',
      ]);
    },
  );
});
