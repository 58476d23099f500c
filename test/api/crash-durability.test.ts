// An acknowledged write is on disk: kill -9 of a real server in the middle of a stream of
// creates, renames and deletes, then a restart, and every acknowledged change is there (and
// the store file still reads). Repeated, each round on the survivors of the last.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { tempDirs } from '../helpers/server';

const newDir = tempDirs(afterEach);
const running: ServeProcess[] = [];
afterEach(async () => {
  while (running.length) await running.pop()?.stop();
});

async function listAll(serve: ServeProcess): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let offset = 0; ; offset += 100) {
    const page = (await serve.call('GET', `/v1/schedules?limit=100&offset=${offset}`)).json;
    for (const s of page.data) out.set(s.id, s.name);
    if (page.data.length === 0 || out.size >= page.meta.total) return out;
  }
}

describe('kill -9 during writes', () => {
  it('every acknowledged create, rename and delete survives, round after round', async () => {
    const dataDir = newDir();
    /** What the server acknowledged: id -> name, or null once deleted. */
    const acknowledged = new Map<string, string | null>();
    /** Changes in flight when the server died: either outcome is fine for these ids. */
    const uncertain = new Set<string>();

    for (let round = 0; round < 4; round++) {
      const serve = await startServe(dataDir);
      const ops: Promise<void>[] = [];
      let n = 0;
      const ids = () => [...acknowledged].filter(([, name]) => name !== null).map(([id]) => id);
      const work = async () => {
        for (;;) {
          n++;
          const live = ids();
          const id = live[n % Math.max(1, live.length)];
          if (n % 5 === 0 && id) {
            uncertain.add(id);
            const res = await serve.call('DELETE', `/v1/schedules/${id}`);
            if (res.status === 200) acknowledged.set(id, null);
            uncertain.delete(id);
          } else if (n % 3 === 0 && id) {
            const name = `renamed ${round}-${n}`;
            uncertain.add(id);
            const res = await serve.call('PATCH', `/v1/schedules/${id}`, { name });
            if (res.status === 200) acknowledged.set(id, name);
            uncertain.delete(id);
          } else {
            const name = `job ${round}-${n}`;
            const res = await serve.call('POST', '/v1/schedules', {
              name,
              machine_id: 'local',
              command: 'true',
              cron: '0 3 * * *',
            });
            if (res.status === 201) acknowledged.set(res.json.data.id, name);
          }
        }
      };
      // Two writers at once; the kill lands mid-request.
      ops.push(
        work().catch(() => {}),
        work().catch(() => {}),
      );
      while (n < 40 + round * 10) await new Promise((r) => setTimeout(r, 5));
      await serve.kill9();
      await Promise.all(ops);

      // config.json, if written yet, still reads; the journal holds what came after it.
      if (existsSync(join(dataDir, 'config.json'))) {
        const store = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'));
        expect(typeof store.schedules).toBe('object');
      }
      const check = await startServe(dataDir);
      running.push(check);
      const found = await listAll(check);
      for (const [id, name] of acknowledged) {
        if (uncertain.has(id)) continue;
        expect(found.get(id) ?? null, `round ${round}: ${id}`).toBe(name);
      }
      // Unacknowledged creates may exist; nothing else may.
      for (const id of found.keys()) {
        if (!acknowledged.has(id)) acknowledged.set(id, found.get(id) as string);
      }
      for (const id of uncertain) acknowledged.set(id, found.get(id) ?? null);
      uncertain.clear();
      await running.pop()?.stop();
    }
    expect([...acknowledged.values()].filter((v) => v !== null).length).toBeGreaterThan(20);
  }, 60_000);
});
