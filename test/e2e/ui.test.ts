// End to end, as a newcomer would: the real `cmdop-scheduler serve` on a temp data dir,
// the built UI in Debian's Chromium driven by playwright-core. Also writes the README's
// screenshots (docs/screenshots with `npm run screenshots`), light and dark.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { shoot, useSession } from './harness';

const session = useSession();
let page: Page;
beforeEach(() => {
  page = session.page;
});

const row = (name: string) => page.locator('[data-schedule-id]').filter({ hasText: name });
const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

describe('a newcomer in the browser', () => {
  it('without the token, the page says where to find it', async () => {
    await page.goto(session.served.origin);
    await page.getByText('This page needs the API token').waitFor();
    expect(await page.getByText('open the UI:').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('Paste the link or the token').count()).toBe(1);
  });

  it('opens the printed URL: the token leaves the address bar, an empty state explains', async () => {
    await page.goto(session.served.uiUrl);
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('heading', { name: 'No schedules yet' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/home');
    expect(await page.title()).toBe('Home — Cmdop Scheduler');
    expect(await page.getByRole('button', { name: 'New schedule' }).count()).toBeGreaterThan(0);
    await shoot(page, 'empty');
  });

  it('a bad cron shows an inline error and saves nothing; closing asks before losing the typing', async () => {
    await page.getByRole('button', { name: 'New schedule' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Broken');
    await dialog.getByLabel('Command', { exact: true }).fill('echo broken');
    await dialog.getByLabel('Cron', { exact: true }).fill('61 * * * *');
    await dialog.getByText('minute must be 0-59, got 61').waitFor();
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    // Escape with typed work: a question, not a loss.
    await page.keyboard.press('Escape');
    const ask = page.getByRole('alertdialog', { name: 'Discard your changes?' });
    await ask.waitFor();
    // Focus starts on the safe answer; Escape backs out of the question only.
    expect(
      await ask
        .getByRole('button', { name: 'Keep editing' })
        .evaluate((b) => b === (b.ownerDocument as any).activeElement),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('Broken');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'No schedules yet' }).waitFor();
  });

  it('creates a schedule with a live cron preview; the row shows the next run', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Daily Backup');
    await dialog
      .getByLabel('Command', { exact: true })
      .fill('echo "backup done"; echo "2 files" >&2');
    const cron = dialog.getByLabel('Cron', { exact: true });
    await cron.fill('0 3 * * *');
    const next = dialog.getByRole('list', { name: 'Next runs' });
    await expect.poll(() => next.getByRole('listitem').count()).toBe(5);
    expect(await next.innerText()).toContain('03:00');
    await shoot(page, 'editor');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await nav('Schedules').click();
    const r = row('Daily Backup');
    await r.waitFor();
    expect(await r.locator('time').first().innerText()).toMatch(/^in /);
    expect(await r.innerText()).toContain('At 03:00');
  });

  it('runs it now; the toast leads to the run; history lists it', async () => {
    await row('Daily Backup').getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => row('Daily Backup').innerText()).toMatch(/Succe/);
    await shoot(page, 'schedules');
    await row('Daily Backup').getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History of Daily Backup' }).waitFor();
    expect(await page.title()).toBe('History of Daily Backup — Cmdop Scheduler');
    const run = page.getByRole('link', { name: /^✓?\s*Success/ }).first();
    await run.waitFor();
    await shoot(page, 'history');
    await run.click();
    await page.locator('pre').getByText('backup done').waitFor();
    await page.locator('pre').getByText('2 files').waitFor();
    expect(await page.title()).toBe('Run of Daily Backup — Cmdop Scheduler');
    await page.getByRole('link', { name: '← History' }).click();
    await page.getByRole('link', { name: '← Schedules' }).click();
    await row('Daily Backup').waitFor();
  });

  it('edits the cron, disables, and deletes after confirming', async () => {
    await row('Daily Backup').getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Cron', { exact: true }).fill('30 4 * * *');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row('Daily Backup').innerText()).toContain('At 04:30');

    await page.getByRole('switch', { name: 'Enabled: Daily Backup' }).click();
    await expect.poll(() => row('Daily Backup').innerText()).toContain('disabled');

    await row('Daily Backup').getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await row('Daily Backup').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'No schedules yet' }).waitFor();
  });

  it('shows runs of an every-second schedule without a reload', async () => {
    await page.getByRole('button', { name: 'New schedule' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Heartbeat');
    await dialog.getByLabel('Command', { exact: true }).fill('date');
    await dialog.getByLabel('Cron', { exact: true }).fill('* * * * * *');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row('Heartbeat').innerText(), { timeout: 8000 }).toMatch(/Succe/);
    // The next run never lags behind: it is at most a second away.
    await expect
      .poll(() => row('Heartbeat').locator('time').first().innerText())
      .toMatch(/^(in 1 s|just now)$/);
    await page.getByRole('switch', { name: 'Enabled: Heartbeat' }).click();
  });

  it('has a settings page', async () => {
    await nav('Settings').click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Mute notifications' }).count()).toBe(1);
    await shoot(page, 'settings');
  });

  it('every view has a URL: Back and Forward move between them, a typed route opens it', async () => {
    const hash = () => new URL(page.url()).hash;
    const settings = page.getByRole('heading', { name: 'Settings' });
    await settings.waitFor();
    expect(hash()).toBe('#/settings');
    await page.goBack();
    await settings.waitFor({ state: 'detached' });
    expect(hash()).toBe('#/schedules');
    await page.goForward();
    await settings.waitFor();
    await page.evaluate(() => ((globalThis as any).location.hash = '#/schedules/new'));
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // The closed editor leaves no entry behind: the page under it is the URL again.
    expect(hash()).toBe('#/settings');
  });
});
