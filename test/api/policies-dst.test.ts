// The DST rules with the run policies: a random delay moves the fire cronie would make (once
// after the spring jump, once in the repeated autumn hour, wildcard hours at their pace), and
// a retry that falls in the skipped spring hour runs that many ms later rather than never.
import { afterEach, describe, expect, it } from 'vitest';
import { randomDelayOffset } from '../../src/shared/random-delay';
import { formatTimestamp } from '../../src/shared/time';
import { FakeTime } from '../helpers/fake-time';
import { policyServer, type PolicyServer } from '../helpers/policies';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
let open: PolicyServer | null = null;
afterEach(async () => {
  await open?.stop();
  open = null;
});

async function server(iso: string) {
  const time = new FakeTime(iso);
  open = await policyServer({ time, dataDir: dir() });
  return open;
}

const NY = 'America/New_York';

describe('DST with random delay and retries (New York, 2026)', () => {
  it('a retry due inside the skipped spring hour runs after the jump, not never', async () => {
    const p = await server('2026-03-08T06:58:00Z'); // 01:58 EST
    const s = await p.create({
      command: 'exit 1',
      cron: '59 1 * * *',
      timezone: NY,
      retries: 1,
      retry_delay: 120_000,
    });
    p.time.advanceTo('2026-03-08T06:59:00Z'); // 01:59 EST: fires, fails
    await p.settled(s.id, 1);
    // 02:01 EST does not exist: two minutes later is 03:01 EDT.
    expect((await p.get(s.id)).next_retry_at).toBe('2026-03-08T07:01:00Z');
    p.time.advanceTo('2026-03-08T07:01:00Z');
    const runs = await p.settled(s.id, 2);
    expect(runs.map((r) => [r.attempt, r.started_at, r.scheduled_for])).toEqual([
      [1, '2026-03-08T06:59:00Z', '2026-03-08T06:59:00Z'],
      [2, '2026-03-08T07:01:00Z', '2026-03-08T06:59:00Z'],
    ]);
  });

  it('02:30 in the spring gap runs once at 03:30 EDT, moved by its fixed offset', async () => {
    const p = await server('2026-03-08T06:00:00Z');
    const s = await p.create({
      command: 'true',
      cron: '30 2 * * *',
      timezone: NY,
      random_delay: 1_800_000,
    });
    const offset = randomDelayOffset(s.id, 1_800_000);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(1_800_000);
    const due = Date.parse('2026-03-08T07:30:00Z') + offset;
    expect(s.next_run).toBe(formatTimestamp(due));
    p.time.advanceTo(due - 1);
    expect(await p.runs(s.id)).toHaveLength(0);
    p.time.advanceTo(due);
    const [run] = await p.settled(s.id, 1);
    expect(run).toMatchObject({
      scheduled_for: '2026-03-08T07:30:00Z',
      started_at: formatTimestamp(due),
    });
    // The next day keeps the same offset: a daily job does not wander.
    expect((await p.get(s.id)).next_run).toBe(
      formatTimestamp(Date.parse('2026-03-09T06:30:00Z') + offset),
    );
  });

  it('01:30 in the repeated autumn hour runs once; a wildcard hour keeps its pace', async () => {
    const p = await server('2026-11-01T04:30:00Z'); // 00:30 EDT
    const fixed = await p.create({
      command: 'true',
      cron: '30 1 * * *',
      timezone: NY,
      random_delay: 600_000,
    });
    const hourly = await p.create({
      command: 'true',
      cron: '0 * * * *',
      timezone: NY,
      random_delay: 600_000,
    });
    p.time.advanceTo('2026-11-01T07:20:00Z'); // 02:20 EST
    const once = await p.settled(fixed.id, 1);
    expect(once[0]?.scheduled_for).toBe('2026-11-01T05:30:00Z'); // 01:30 EDT, not 01:30 EST
    const hours = await p.settled(hourly.id, 3);
    // 01:00 EDT, 01:00 EST, 02:00 EST: each fire moved by the same offset.
    const offset = randomDelayOffset(hourly.id, 600_000);
    expect(hours.map((r) => [r.scheduled_for, r.started_at])).toEqual(
      ['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z'].map((at) => [
        at,
        formatTimestamp(Date.parse(at) + offset),
      ]),
    );
  });
});
