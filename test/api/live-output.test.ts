// The output of a run in progress is a log a client can follow: GET /v1/commands/:id gives
// everything printed so far with where each stream ends, and run.output events carry the
// offset they start at, so a client that opens the run late still shows it from line 1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, RunOutputEvent } from '../../src/shared/events';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;
const events: ApiEvent[] = [];

beforeAll(async () => {
  srv = await startTestServer({ killGraceMs: 200 });
  srv.headless.host.events.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => Promise<T | undefined> | T | undefined) {
  const end = Date.now() + 10_000;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A command that prints `before`, waits for a file, then prints `after`. */
async function startGated(before: string, after: string) {
  const gate = join(srv.dataDir, `gate-${Math.random().toString(36).slice(2)}`);
  const command = `${before}; while [ ! -f '${gate}' ]; do sleep 0.02; done; ${after}`;
  const created = await srv.call('POST', '/v1/schedules', {
    name: 'Live',
    machine_id: 'local',
    cron: '0 3 * * *',
    command,
  });
  expect(created.status).toBe(201);
  const started = await srv.call('POST', `/v1/schedules/${created.json.data.id}/run`);
  const commandId: string = started.json.data.command_id;
  return { commandId, open: () => writeFileSync(gate, '') };
}

const command = (id: string) => srv.call('GET', `/v1/commands/${id}`).then((r) => r.json.data);

const outputOf = (commandId: string) =>
  events.filter((e): e is RunOutputEvent => e.type === 'run.output' && e.command_id === commandId);

describe('live output as a log', () => {
  it('GET /v1/commands/:id returns the output so far while the run goes on', async () => {
    const run = await startGated(`echo 'line 1'; echo 'warn 1' >&2`, `echo 'line 2'`);
    const live = await until('line 1', async () => {
      const r = await command(run.commandId);
      return r.stdout === 'line 1\n' && r.stderr === 'warn 1\n' ? r : undefined;
    });
    expect(live).toMatchObject({
      status: 'running',
      output_length: { stdout: 7, stderr: 7 },
    });
    run.open();
    const done = await until('the end', async () => {
      const r = await command(run.commandId);
      return r.status === 'running' ? undefined : r;
    });
    expect(done.stdout).toBe('line 1\nline 2\n');
    // A finished run is the stored record: no offsets needed any more.
    expect(done).not.toHaveProperty('output_length');
  });

  it('run.output events say where each chunk starts', async () => {
    const run = await startGated(`printf 'héllo\\n'`, `printf 'wörld\\n'; printf 'e\\n' >&2`);
    await until('the first chunk', () => (outputOf(run.commandId).length > 0 ? true : undefined));
    run.open();
    await until('run.finished', () =>
      events.some((e) => e.type === 'run.finished' && e.run.command_id === run.commandId)
        ? true
        : undefined,
    );
    const chunks = outputOf(run.commandId).map(({ stream, offset, chunk }) => ({
      stream,
      offset,
      chunk,
    }));
    expect(chunks).toEqual([
      { stream: 'stdout', offset: 0, chunk: 'héllo\n' },
      { stream: 'stdout', offset: 6, chunk: 'wörld\n' },
      { stream: 'stderr', offset: 0, chunk: 'e\n' },
    ]);
  });

  it('keeps the start and the end of a huge live output, and the offsets show what was not sent', async () => {
    // 400,000 characters in one go: more than the live log keeps and than one batch sends.
    const run = await startGated(
      `head -c 400000 /dev/zero | tr '\\0' 'x'; echo; echo 'the end'`,
      'true',
    );
    const live = await until('all of it', async () => {
      const r = await command(run.commandId);
      return r.output_length.stdout === 400_009 ? r : undefined;
    });
    expect(live.truncated).toBe(true);
    expect(live.stdout.startsWith('x'.repeat(1000))).toBe(true);
    expect(live.stdout).toMatch(/\n\[… \d+ characters dropped …\]\n/);
    expect(live.stdout.endsWith('x\nthe end\n')).toBe(true);
    // Events never overlap and never claim more than was printed; gaps are allowed.
    await until('events', () => (outputOf(run.commandId).length > 0 ? true : undefined));
    let end = 0;
    for (const e of outputOf(run.commandId)) {
      expect(e.offset).toBeGreaterThanOrEqual(end);
      end = e.offset + e.chunk.length;
    }
    expect(end).toBeLessThanOrEqual(400_009);
    run.open();
  });
});
