// The real Electron smoke test (`npm run test:electron`), for machines that have the
// Electron binary and a display (Xvfb will do): the built app starts, its tray is up, the
// window opens, a schedule is created through the UI and runs. Not part of `npm test`: the
// binary cannot be downloaded everywhere; without it this suite skips and says why.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ELECTRON_DIR = join(REPO, 'node_modules', 'electron');

/** The binary `npm ci` downloaded, found without require('electron') (which downloads). */
function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = override ? join(override, relative) : join(ELECTRON_DIR, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const why = binary
  ? ''
  : 'the Electron binary is missing (node_modules/electron/dist): run `npm ci` without ' +
    'ELECTRON_SKIP_BINARY_DOWNLOAD on a machine that can download it';
if (!binary) console.warn(`real-Electron smoke test skipped: ${why}`);

describe.skipIf(!binary)('the tray app in real Electron', () => {
  let home: string;
  let app: ElectronApplication;
  let page: Page;
  let stdout = '';

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'cmdop-electron-'));
    app = await _electron.launch({
      executablePath: binary as string,
      args: [REPO, '--no-sandbox'],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    });
    app.process().stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    page = await app.firstWindow();
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('starts on the data folder serve uses, with its tray', async () => {
    const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(userData).toBe(join(home, '.config', 'Cmdop Scheduler'));
    // main logs this after the tray is created.
    await expect.poll(() => stdout).toContain('started (launched by you)');
  });

  it('opens the sandboxed window with the preload bridge', async () => {
    await page.getByRole('button', { name: 'New schedule' }).first().waitFor();
    expect(await page.evaluate(() => typeof (globalThis as any).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((globalThis as any).cmdop ?? {}))).toContain(
      'list',
    );
  });

  it('creates a schedule through the UI and runs it', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Smoke');
    await dialog.getByLabel('Command', { exact: true }).fill('echo smoke');
    await dialog.getByLabel('Cron', { exact: true }).fill('0 3 * * *');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('tr', { has: page.getByText('Smoke', { exact: true }) });
    await row.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/Succe/);
  });
});
