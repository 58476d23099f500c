// End to end: the editor's preview of upcoming fires is the engine's answer. The real
// `cmdop-scheduler serve`, the built UI in Debian's Chromium with the page's clock set to the
// day before New York's March change: `30 2 * * *` shows the fire the spring gap moves, with
// its marker, and the times are the ones POST /v1/cron/fires, GET /v1/schedules/:id/fires and
// `cmdop-scheduler next` answer for the saved schedule.
import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cliOnce } from '../helpers/cli';
import { useSession } from './harness';

const session = useSession();
const FROM = '2026-03-07T12:00:00Z';

describe('the editor’s fire preview', () => {
  it('30 2 * * * in New York across the March change: the moved fire, marked, as the routes and the CLI answer', async () => {
    const { page, served } = session;
    // The browser's clock only: the server keeps real time, the preview asks from this one.
    await page.clock.setFixedTime(new Date(FROM));
    await page.goto(served.uiUrl);
    await page.getByRole('heading', { name: 'No schedules yet' }).waitFor();

    await page.getByRole('button', { name: 'New schedule' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Nightly');
    await dialog.getByLabel('Command', { exact: true }).fill('true');
    expect(await dialog.getByLabel('Time zone', { exact: true }).inputValue()).toBe(
      'America/New_York',
    );
    const questions: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/cron/fires') {
        questions.push(r);
      }
    });
    await dialog.getByLabel('Cron', { exact: true }).fill('30 2 * * *');

    const list = dialog.getByRole('list', { name: 'Next runs' });
    const items = list.getByRole('listitem');
    await expect
      .poll(() => items.first().innerText())
      .toBe('Sun, Mar 8, 03:30 EDT · moved from 02:30: skipped by the DST change');
    expect(await list.getAttribute('aria-busy')).toBeNull();
    expect(await items.allInnerTexts()).toEqual([
      'Sun, Mar 8, 03:30 EDT · moved from 02:30: skipped by the DST change',
      'Mon, Mar 9, 02:30 EDT',
      'Tue, Mar 10, 02:30 EDT',
      'Wed, Mar 11, 02:30 EDT',
      'Thu, Mar 12, 02:30 EDT',
    ]);
    const shown = await list.locator('time').evaluateAll((ts) => ts.map((t) => t.dateTime));

    // The page asked the route, with its own clock as `from`; the list is that answer.
    const asked = questions.map((r) => r.postDataJSON()).filter((b) => b.cron === '30 2 * * *');
    expect(asked.at(-1)).toEqual({
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      from: FROM,
      count: 5,
      random_delay: 0,
    });
    const route = await served.call('POST', '/cron/fires', asked.at(-1));
    expect(route.status).toBe(200);
    expect(route.json.data.map((f: any) => f.at)).toEqual(shown);
    expect(route.json.data[0]).toMatchObject({ dst: 'moved', moved_from: '2026-03-08T02:30:00' });

    // Saved, the schedule's own fires (route and terminal client) are the same instants.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const list2 = await served.call('GET', '/schedules');
    const id = list2.json.data.find((s: any) => s.name === 'Nightly').id as string;
    const saved = await served.call('GET', `/schedules/${id}/fires?from=${FROM}&count=5`);
    expect(saved.json.data.map((f: any) => f.at)).toEqual(shown);
    const cli = await cliOnce([
      'next',
      'Nightly',
      '--from',
      FROM,
      '--count',
      '5',
      '--json',
      '--data-dir',
      served.dataDir,
    ]);
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout).data.map((f: any) => f.at)).toEqual(shown);
  });
});
