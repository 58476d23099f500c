// A run opened while it is going shows it from its first line, follows new output, and
// survives a reload; Run now leads to the run; the run names its schedule and command.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSchedule, shoot, sleep, useSession } from './harness';

const session = useSession();
let page: Page;
beforeEach(() => {
  page = session.page;
});

/** Prints `lines` lines, then waits until the test opens the gate, then prints the rest. */
async function gatedSchedule(name: string, lines: number) {
  const gate = join(session.served.dataDir, `gate-${name.replace(/\W/g, '')}`);
  const schedule = await createSchedule(session.served, {
    name,
    command:
      `for i in $(seq 1 ${lines}); do echo "line $i"; done; ` +
      `while [ ! -f '${gate}' ]; do sleep 0.05; done; echo 'after the gate'`,
  });
  return { schedule, open: () => writeFileSync(gate, '') };
}

const outputBox = () => page.getByRole('region', { name: 'Output' }).locator('pre');

describe('a live run', () => {
  it('opened late, shows the run from line 1 and follows it to the end', async () => {
    const { schedule, open } = await gatedSchedule('Slow job', 5);
    const { json } = await session.served.call('POST', `/schedules/${schedule.id}/run`);
    const commandId: string = json.data.command_id;
    // Line 5 is out before the page even loads.
    for (;;) {
      const run = await session.served.call('GET', `/commands/${commandId}`);
      if (run.json.data.stdout.includes('line 5')) break;
      await sleep(50);
    }
    await page.goto(session.served.uiUrl);
    await page.evaluate((id) => ((globalThis as any).location.hash = `#/runs/${id}`), commandId);
    await outputBox().getByText('line 5').waitFor();
    expect(await outputBox().innerText()).toMatch(/^line 1\nline 2\nline 3\nline 4\nline 5/);
    // It names what ran.
    await page.getByRole('heading', { name: 'Run of Slow job' }).waitFor();
    expect(await page.getByText('while [ ! -f').count()).toBeGreaterThan(0);
    open();
    await outputBox().getByText('after the gate').waitFor();
    await expect
      .poll(() => page.getByRole('img', { name: /^Success/ }).count(), { timeout: 8000 })
      .toBeGreaterThan(0);
    expect(await outputBox().innerText()).toMatch(/^line 1\n[\s\S]*line 5\nafter the gate\s*$/);
  });

  it('a deep link to a run survives a reload', async () => {
    const url = page.url();
    expect(new URL(url).hash).toMatch(/^#\/runs\/cmd_/);
    await page.reload();
    await page.getByRole('heading', { name: 'Run of Slow job' }).waitFor();
    await outputBox().getByText('after the gate').waitFor();
    expect(new URL(page.url()).hash).toBe(new URL(url).hash);
  });

  it('keeps following new lines at the bottom, pauses when scrolled up, and jumps to the end', async () => {
    const { schedule, open } = await gatedSchedule('Chatty job', 400);
    await page.evaluate(() => ((globalThis as any).location.hash = '#/schedules'));
    const card = page.locator(`[data-schedule-id="${schedule.id}"]`);
    await card.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('link', { name: 'View run' }).click();
    await outputBox().getByText('line 400').waitFor();
    const atBottom = () =>
      outputBox().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 30);
    await expect.poll(atBottom).toBe(true);
    await outputBox().evaluate((el) => el.scrollTo({ top: 0 }));
    const jump = page.getByRole('button', { name: 'Jump to end' });
    await jump.waitFor();
    open();
    await outputBox().getByText('after the gate').waitFor();
    // The reader scrolled up to read: new output does not pull the view away.
    expect(await outputBox().evaluate((el) => el.scrollTop)).toBe(0);
    await jump.click();
    await expect.poll(atBottom).toBe(true);
    await shoot(page, 'run');
  });

  it('offers Run again, which opens the new run', async () => {
    const before = new URL(page.url()).hash;
    await page.getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => new URL(page.url()).hash).not.toBe(before);
    expect(new URL(page.url()).hash).toMatch(/^#\/runs\/cmd_/);
    await expect.poll(() => outputBox().innerText()).toMatch(/^line 1\nline 2\n/);
    await page.getByRole('heading', { name: 'Run of Chatty job' }).waitFor();
  });
});
