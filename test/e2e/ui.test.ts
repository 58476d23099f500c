// End to end, as a newcomer would: the real `cmdop-scheduler serve` on a temp data dir,
// the built UI in Debian's Chromium driven by playwright-core. Also writes the README's
// screenshots (docs/screenshots), light and dark.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli';
import { removeDir, tempDir } from '../helpers/server';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let cli: CliProcess;
let dataDir: string;
let uiUrl: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  }
  dataDir = tempDir('cmdop-e2e-');
  cli = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
  await cli.listening;
  const line = /open the UI: (\S+)/.exec(cli.stdout());
  if (!line) throw new Error(`serve printed no UI URL:\n${cli.stdout()}`);
  uiUrl = line[1] as string;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    timezoneId: 'America/New_York',
    locale: 'en-US',
  });
  page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  cli?.child.kill('SIGTERM');
  await cli?.exited;
  if (dataDir) removeDir(dataDir);
});

/** Light and dark screenshots of what is on screen now. */
async function shoot(name: string) {
  // A toast from the last action would cover part of the view.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const row = (name: string) => page.locator('tr', { has: page.getByText(name, { exact: true }) });

describe('a newcomer in the browser', () => {
  it('without the token, the page says how to get it', async () => {
    await page.goto(new URL(uiUrl).origin);
    await page.getByText('This page needs the API token').waitFor();
    expect(await page.getByText('#token=').count()).toBeGreaterThan(0);
  });

  it('opens the printed URL: the token leaves the address bar, an empty state explains', async () => {
    await page.goto(uiUrl);
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('heading', { name: 'No schedules yet' }).waitFor();
    expect(await page.getByRole('button', { name: 'New schedule' }).count()).toBeGreaterThan(0);
    await shoot('empty');
  });

  it('a bad cron shows an inline error and saves nothing', async () => {
    await page.getByRole('button', { name: 'New schedule' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Broken');
    await dialog.getByLabel('Command', { exact: true }).fill('echo broken');
    await dialog.getByLabel('Cron', { exact: true }).fill('61 * * * *');
    await dialog.getByText('minute must be 0-59, got 61').waitFor();
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
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
    await shoot('editor');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const r = row('Daily Backup');
    await r.waitFor();
    expect(await r.locator('time').first().innerText()).toMatch(/^in /);
    expect(await r.innerText()).toContain('At 03:00');
  });

  it('runs it now; history shows the run with its stdout', async () => {
    await row('Daily Backup').getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => row('Daily Backup').innerText()).toMatch(/Succe/);
    await shoot('schedules');
    await row('Daily Backup').getByRole('button', { name: 'History' }).click();
    await page.getByRole('heading', { name: /History/ }).waitFor();
    const run = page.getByRole('button', { name: /Run started .*success/i }).first();
    await run.waitFor();
    await shoot('history');
    await run.click();
    await page.getByText('backup done').waitFor();
    await page.getByText('2 files').waitFor();
    await shoot('run');
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
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
    await page.getByRole('switch', { name: 'Enabled: Heartbeat' }).click();
  });

  it('has a settings page', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Mute notifications' }).count()).toBe(1);
    await shoot('settings');
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
