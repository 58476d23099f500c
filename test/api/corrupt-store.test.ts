// A bad day on disk: a hand-edited entry, another version's file, a folder where a file
// should be. Each time the app starts, the other schedules fire, the bad one shows its error
// where the user looks, and a backup of what was there exists.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempDirs, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/serve-process';

const newDir = tempDirs(afterEach);
const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

const AT = '2026-01-01T00:00:00.000Z';

function entry(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    description: '',
    command: 'echo ok',
    cron: '* * * * * *',
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: false },
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    created_at: AT,
    updated_at: AT,
    ...over,
  };
}

function writeStore(dir: string, schedules: Record<string, unknown>): string {
  const text = JSON.stringify({ schemaVersion: 1, schedules });
  writeFileSync(join(dir, 'config.json'), text);
  return text;
}

async function start(dataDir: string) {
  const srv = await startTestServer({ dataDir });
  servers.push(srv);
  return srv;
}

async function firesOnce(srv: TestServer, id: string) {
  await eventually(`a run of ${id}`, async () => {
    const h = await srv.call('GET', `/v1/schedules/${id}/history`);
    return h.json.meta.total > 0;
  });
}

const backups = (dir: string, kind: string) =>
  readdirSync(dir).filter((n) => n.startsWith(`config.json.${kind}-`) && n.endsWith('.bak'));

describe('a stored schedule that breaks the rules', () => {
  it.each([
    ['a cron that cannot fire', { cron: '99 99 * * *' }, 'cron: minute must be 0-59, got 99'],
    [
      'an unknown time zone',
      { timezone: 'Mars/Olympus' },
      "timezone: unknown time zone 'Mars/Olympus'",
    ],
    ['a wrong type', { timeout: 'soon' }, 'timeout: must be a number, got string "soon"'],
  ])(
    '%s: the others fire, it shows its error, a backup exists, editing fixes it',
    async (_, bad, error) => {
      const dir = newDir();
      const original = writeStore(dir, {
        sched_good: entry('sched_good'),
        sched_bad: entry('sched_bad', { ...bad, created_at: '2026-01-01T00:00:01.000Z' }),
      });
      const srv = await start(dir);
      await firesOnce(srv, 'sched_good');

      const shown = (await srv.call('GET', '/v1/schedules/sched_bad')).json.data;
      expect(shown).toMatchObject({ id: 'sched_bad', error, next_run: null });
      const listed = (await srv.call('GET', '/v1/schedules')).json.data;
      expect(listed.map((s: { id: string }) => s.id)).toEqual(['sched_good', 'sched_bad']);
      expect(listed[0].error).toBeUndefined();
      expect((await srv.call('GET', '/v1/schedules/sched_bad/history')).json.meta.total).toBe(0);

      const run = await srv.call('POST', '/v1/schedules/sched_bad/run');
      expect(run.status).toBe(409);
      expect(run.json.error.message).toContain(error);

      const [backup] = backups(dir, 'invalid');
      expect(readFileSync(join(dir, backup as string), 'utf8')).toBe(original);
      expect(srv.log.lines.some((l) => l.startsWith('error') && l.includes('sched_bad'))).toBe(
        true,
      );

      // A patch that leaves the bad field is refused by name; one that fixes it clears the error.
      const field = error.split(':')[0] as string;
      const still = await srv.call('PATCH', '/v1/schedules/sched_bad', { name: 'still bad' });
      expect(still.status).toBe(400);
      expect(Object.keys(still.json.error.details.fields)).toEqual([field]);
      const fix = { cron: '* * * * * *', timezone: 'UTC', timeout: null }[field];
      const fixed = await srv.call('PATCH', '/v1/schedules/sched_bad', { [field]: fix });
      expect(fixed.status).toBe(200);
      expect(fixed.json.data.error).toBeUndefined();
      expect(fixed.json.data.next_run).not.toBeNull();
      await firesOnce(srv, 'sched_bad');
    },
  );
});

describe('a store file that cannot be used as is', () => {
  it.each([
    ['an array', '[1,2,3]', 'not-an-object'],
    ['a string', '"schedules"', 'not-an-object'],
    ['not JSON', '{"schemaVersion": 1, "schedules": {', 'corrupt'],
  ])(
    'holding %s: moved aside with its content, logged, the app starts empty',
    async (_, text, kind) => {
      const dir = newDir();
      writeFileSync(join(dir, 'config.json'), text);
      const srv = await start(dir);
      expect((await srv.call('GET', '/v1/schedules')).json.meta.total).toBe(0);
      const [backup] = backups(dir, kind);
      expect(readFileSync(join(dir, backup as string), 'utf8')).toBe(text);
      expect(srv.log.lines.some((l) => l.startsWith('error') && l.includes(backup as string))).toBe(
        true,
      );
      const created = await srv.call('POST', '/v1/schedules', {
        name: 'new',
        machine_id: 'local',
        command: 'true',
        cron: '0 3 * * *',
      });
      expect(created.status).toBe(201);
    },
  );

  it('a folder where config.json should be: moved aside, the app starts', async () => {
    const dir = newDir();
    mkdirSync(join(dir, 'config.json'));
    writeFileSync(join(dir, 'config.json', 'inside'), 'kept');
    const srv = await start(dir);
    expect((await srv.call('GET', '/v1/schedules')).json.meta.total).toBe(0);
    const [aside] = backups(dir, 'unreadable');
    expect(readFileSync(join(dir, aside as string, 'inside'), 'utf8')).toBe('kept');
  });
});

describe('history files that cannot be read', () => {
  it('a .jsonl that is a folder is moved aside; start-up and new runs go on', async () => {
    const dir = newDir();
    writeStore(dir, { sched_good: entry('sched_good') });
    mkdirSync(join(dir, 'history', 'sched_good.jsonl'), { recursive: true });
    const srv = await start(dir);
    await firesOnce(srv, 'sched_good');
    const names = readdirSync(join(dir, 'history'));
    expect(names.some((n) => n.startsWith('sched_good.jsonl.unreadable-'))).toBe(true);
    expect(
      srv.log.lines.some((l) => l.startsWith('warn') && l.includes('could not be read (EISDIR)')),
    ).toBe(true);
  });
});
