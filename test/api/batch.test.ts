// POST /v1/schedules/batch over real HTTP: all or nothing, errors by index, order kept,
// ids and timestamps of an export kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';
import { storeBytes } from '../helpers/store-files';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer();
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

const item = (n: number, extra: Record<string, unknown> = {}) => ({
  name: `job ${n}`,
  machine_id: 'local',
  command: `echo ${n}`,
  cron: `${n % 60} 3 * * *`,
  ...extra,
});

const store = () => storeBytes(srv.dataDir);

describe('POST /v1/schedules/batch', () => {
  it('creates every item, answers them in order, and lists them in that order', async () => {
    const items = Array.from({ length: 50 }, (_, i) => item(i));
    const res = await srv.call('POST', '/v1/schedules/batch', { items });
    expect(res.status).toBe(201);
    expect(res.json.meta.total).toBe(50);
    expect(res.json.data.map((s: any) => s.name)).toEqual(items.map((i) => i.name));
    const list = await srv.call('GET', '/v1/schedules?limit=100');
    expect(list.json.data.map((s: any) => s.name)).toEqual(items.map((i) => i.name));
  });

  it('refuses the whole batch when any item is bad, naming each by index', async () => {
    const before = store();
    const res = await srv.call('POST', '/v1/schedules/batch', {
      items: [
        item(1),
        item(2, { name: ' ' }),
        item(3),
        item(4, { cron: '61 * * * *', timezone: 'Mars/Base' }),
        item(5, { machine_id: 'mach_elsewhere' }),
        item(6, { next_run: null }),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_error');
    expect(res.json.error.details.fields).toEqual({
      'items.1.name': 'must not be blank',
      'items.3.cron': 'minute must be 0-59, got 61',
      'items.3.timezone': "unknown time zone 'Mars/Base'",
      'items.4.machine_id':
        "unknown machine 'mach_elsewhere'; a batch creates schedules on this machine (" +
        `${srv.headless.host.service.machineId} or 'local') only`,
      'items.5.next_run': 'is read-only',
    });
    expect(store()).toBe(before);
  });

  it('takes 1,000 schedules and refuses 1,001 with the limit in words', async () => {
    const over = await srv.call('POST', '/v1/schedules/batch', {
      items: Array.from({ length: 1001 }, (_, i) => item(i)),
    });
    expect(over.status).toBe(400);
    expect(over.json.error.details.fields).toEqual({
      items: 'must hold at most 1000 schedules; send more batches',
    });
    const full = await srv.call('POST', '/v1/schedules/batch', {
      items: Array.from({ length: 1000 }, (_, i) => item(i)),
    });
    expect(full.status).toBe(201);
    expect(full.json.data).toHaveLength(1000);
  });

  it('keeps the id and timestamps of an exported schedule, and refuses an id that is taken', async () => {
    const moved = item(7, {
      id: 'sched_MovedFromElsewhere1',
      created_at: '2025-01-02T03:04:05Z',
      updated_at: '2025-06-07T08:09:10Z',
    });
    const res = await srv.call('POST', '/v1/schedules/batch', { items: [moved] });
    expect(res.status).toBe(201);
    expect(res.json.data[0]).toMatchObject({
      id: 'sched_MovedFromElsewhere1',
      created_at: '2025-01-02T03:04:05Z',
      updated_at: '2025-06-07T08:09:10Z',
    });
    const again = await srv.call('POST', '/v1/schedules/batch', { items: [item(8), moved] });
    expect(again.json.error.details.fields).toEqual({
      'items.1.id': 'sched_MovedFromElsewhere1 already exists',
    });
  });

  it('needs a JSON object with items', async () => {
    for (const body of [[], {}, { items: [] }, { items: {} }]) {
      const res = await srv.call('POST', '/v1/schedules/batch', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});
