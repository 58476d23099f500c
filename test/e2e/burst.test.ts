// Calm under bursts: 120 of 1,000 schedules run at once, and afterwards every row says what the API
// says (nothing left on "Running", Run now enabled again); a thousand schedules keep a
// small DOM because only the rows in view exist.
import { describe, expect, it } from 'vitest';
import { serve, useSession } from './harness';

const ids: string[] = [];

/**
 * As reported: a thousand schedules, of which a hundred and more run at the same moment.
 * They are made by a first server; the one under test starts afresh on the same folder, so
 * a thousand creates do not count against its rate limit (1000 requests a minute).
 */
async function serveThousand() {
  const maker = await serve();
  for (let i = 0; i < 1000; i += 50) {
    const made = await Promise.all(
      Array.from({ length: 50 }, (_, j) => {
        const n = i + j;
        const burst = n < 120;
        return maker.call('POST', '/schedules', {
          name: burst
            ? `Burst ${String(n).padStart(3, '0')}`
            : `Idle ${String(n).padStart(4, '0')}`,
          machine_id: 'local',
          cron: '0 3 1 1 *',
          command: !burst ? 'true' : n % 3 === 0 ? 'sleep 0.3; exit 1' : 'sleep 0.3; echo ok',
        });
      }),
    );
    for (const r of made) if (r.json.data.name.startsWith('Burst')) ids.push(r.json.data.id);
  }
  await maker.stop();
  return serve({ dataDir: maker.dataDir });
}

const session = useSession({ serve: serveThousand });

interface RowState {
  id: string;
  running: boolean;
  last: string;
  runNowDisabled: boolean;
}

/** Every row of the virtualized list, read by scrolling it from top to bottom in the session.page. */
async function renderedRows(): Promise<Map<string, RowState>> {
  const rows: RowState[] = await session.page
    .getByTestId('schedule-scroll')
    .evaluate(async (el) => {
      const raf = (globalThis as any).requestAnimationFrame as (f: () => void) => void;
      const frame = () => new Promise<void>((r) => raf(() => raf(r)));
      const seen: Record<string, RowState> = {};
      el.scrollTop = 0;
      for (;;) {
        await frame();
        for (const row of el.querySelectorAll('[data-schedule-id]')) {
          const runNow = row.querySelector('button[data-action="run-now"]') as any;
          const id = row.getAttribute('data-schedule-id') ?? '';
          seen[id] = {
            id,
            running: row.getAttribute('data-running') === 'true',
            last: row.getAttribute('data-last-status') ?? '',
            runNowDisabled: runNow?.disabled ?? true,
          };
        }
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return Object.values(seen);
        el.scrollTop += el.clientHeight * 0.8;
      }
    });
  return new Map(rows.map((r) => [r.id, r]));
}

async function apiSchedules(): Promise<any[]> {
  const all: any[] = [];
  for (let offset = 0; ; offset += 100) {
    const { json } = await session.served.call('GET', `/schedules?limit=100&offset=${offset}`);
    all.push(...json.data);
    if (all.length >= json.meta.total) return all;
  }
}

describe('a burst of runs', () => {
  it('120 of 1,000 schedules run at once; afterwards the rows equal the API and none says Running', async () => {
    await session.page.goto(session.served.uiUrl);
    await session.page.evaluate(() => ((globalThis as any).location.hash = '#/schedules'));
    await session.page.locator('[data-schedule-id]').first().waitFor();

    const started = await Promise.all(
      ids.map((id) => session.served.call('POST', `/schedules/${id}/run`)),
    );
    expect(started.filter((r) => r.status !== 200).map((r) => r.json)).toEqual([]);
    // The API is the truth: wait until it says nothing runs.
    await expect
      .poll(async () => (await apiSchedules()).filter((s) => s.running).length, {
        timeout: 30_000,
        interval: 1000,
      })
      .toBe(0);
    const truth = await apiSchedules();
    const burst = truth.filter((s) => ids.includes(s.id));
    expect(burst.filter((s) => s.last_run === null)).toEqual([]);

    await expect
      .poll(async () => session.page.locator('[data-running="true"]').count(), { timeout: 5000 })
      .toBe(0);
    const rows = await renderedRows();
    expect(rows.size).toBe(truth.length);
    for (const s of truth) {
      expect(rows.get(s.id), s.name).toEqual({
        id: s.id,
        running: false,
        last: s.last_run?.status ?? '',
        runNowDisabled: false,
      });
    }
  }, 90_000);

  it('with a thousand schedules, only the rows in view are in the DOM', async () => {
    await session.page.reload();
    await session.page.locator('[data-schedule-id]').first().waitFor();
    expect(await session.page.locator('[data-schedule-id]').count()).toBeLessThan(60);
    const nodes = await session.page.evaluate(
      () => (globalThis as any).document.getElementsByTagName('*').length,
    );
    expect(nodes).toBeLessThan(3000);
    // Search by command as well as by name; the count says how many match.
    await session.page.getByRole('searchbox').fill('exit 1');
    await session.page.getByText('40 of 1000').waitFor();
    for (const row of await session.page.locator('[data-schedule-id]').all()) {
      expect(await row.innerText()).toMatch(/Burst \d+/);
    }
  }, 90_000);
});
