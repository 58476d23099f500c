// The decision log in a real browser against a real `serve`: a planned fire skipped during
// a pause appears in the history view's timeline as a marker that names its reason, with
// the full sentence `why` prints; the schedule's row says its last planned fire was skipped.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSchedule, sleep, useSession } from './harness';

const session = useSession();
let page: Page;
beforeEach(() => {
  page = session.page;
});

describe('the timeline of planned fires', () => {
  it("shows a skipped fire's marker naming its reason", async () => {
    const { served } = session;
    expect((await served.call('PATCH', '/settings', { paused: true })).status).toBe(200);
    const s = await createSchedule(served, {
      name: 'Every second',
      command: 'true',
      cron: '* * * * * *',
    });
    // Real fires on the real clock: wait until one has been decided (skipped, paused).
    for (;;) {
      const res = await served.call('GET', `/schedules/${s.id}/decisions`);
      if (res.json.data.length > 0) break;
      await sleep(100);
    }
    await page.goto(served.uiUrl);
    await page.evaluate(() => ((globalThis as any).location.hash = '#/schedules'));
    const row = page.locator(`[data-schedule-id="${s.id}"]`);
    await row.getByText('last planned fire skipped: paused').waitFor();

    await page.evaluate(
      (id) => ((globalThis as any).location.hash = `#/schedules/${id}/history`),
      s.id,
    );
    const timeline = page.getByRole('list', { name: 'Planned fires, oldest first' });
    const marker = timeline.getByRole('listitem').filter({ hasText: 'skipped: paused' }).first();
    await marker.waitFor();
    const button = marker.getByRole('button');
    expect(await button.getAttribute('title')).toMatch(
      /^At \d\d:\d\d(:(?!00)\d\d)? UTC on \d+ \w+ the job did not run: all schedules were paused\.$/,
    );
    expect(await marker.getAttribute('class')).toContain('skipped');
    await button.click();
    expect(await page.locator('.fires-sentence').innerText()).toMatch(
      /the job did not run: all schedules were paused\.$/,
    );
  });
});
