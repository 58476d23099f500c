// Layouts that fit and dialogs that behave: the tray's 420×640 popover shows Run now with
// no horizontal scrolling and History keeps Duration and Exit; the delete dialog keeps
// focus, gives it back and looks dangerous; axe-core finds nothing serious on any view.
// Also takes the README's home and tray-size screenshots (`npm run screenshots`).
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSchedule, openPage, shoot, sleep, useSession } from './harness';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// axe-core is injected as a script, which the page's CSP would refuse.
const session = useSession({ bypassCSP: true });
let page: Page;
beforeEach(() => {
  page = session.page;
});

let backup: { id: string };

beforeAll(async () => {
  const { served } = session;
  backup = await createSchedule(served, {
    name: 'Nightly database backup',
    description: 'pg_dump of the main database to the NAS',
    command: 'echo "dumped 3 tables"; sleep 0.2',
    cron: '30 2 * * *',
  });
  const flaky = await createSchedule(served, {
    name: 'Sync photos',
    command: 'test $(( $(date +%N) % 3 )) -ne 0 || exit 4',
    cron: '*/15 * * * *',
  });
  await createSchedule(served, {
    name: 'Weekly report',
    command: 'report.sh --mail team@example.com',
    cron: '0 9 * * 1',
  });
  await createSchedule(served, { name: 'Heartbeat', command: 'date', cron: '*/5 * * * *' });
  // Some history to show: runs one after another (overlap skip).
  for (const id of [backup.id, flaky.id, flaky.id, flaky.id, backup.id]) {
    const { json } = await served.call('POST', `/schedules/${id}/run`);
    for (;;) {
      const r = await served.call('GET', `/commands/${json.data.command_id}`);
      if (r.json.data.status !== 'running') break;
      await sleep(50);
    }
  }
}, 60_000);

/**
 * axe-core's violations on what is on screen now. The acceptance is none serious or
 * critical; there are none of any impact today, and a moderate or minor one fails too.
 */
async function violations(p: Page): Promise<string[]> {
  await p.addScriptTag({ path: AXE });
  const found: { id: string; impact: string; nodes: { target: string[] }[] }[] = await p.evaluate(
    async () => {
      const axe = (globalThis as any).axe;
      const result = await axe.run((globalThis as any).document, {
        resultTypes: ['violations'],
        // Off by default (experimental), and exactly what was wrong with history rows: an
        // accessible name that replaces the visible text.
        rules: { 'label-content-name-mismatch': { enabled: true } },
      });
      return result.violations;
    },
  );
  return found.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

const go = (p: Page, hash: string) =>
  p.evaluate((h) => ((globalThis as any).location.hash = h), hash);

describe('accessibility', () => {
  it('axe-core finds no violation (none serious) on any view, dialogs included, light or dark', async () => {
    await page.goto(session.served.uiUrl);
    const views: [string, () => Promise<unknown>][] = [
      ['#/home', () => page.getByRole('heading', { name: 'Next 24 hours' }).waitFor()],
      ['#/schedules', () => page.locator('[data-schedule-id]').first().waitFor()],
      [
        `#/schedules/${backup.id}/history`,
        () => page.getByRole('list', { name: 'Runs' }).waitFor(),
      ],
      ['#/settings', () => page.getByRole('heading', { name: 'Settings' }).waitFor()],
      ['#/schedules/new', () => page.getByRole('dialog').waitFor()],
    ];
    const found: string[] = [];
    for (const [hash, ready] of views) {
      await go(page, hash);
      await ready();
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        found.push(...(await violations(page)).map((v) => `${hash} ${scheme}: ${v}`));
      }
      await page.emulateMedia({ colorScheme: 'light' });
      if (hash === '#/home') await shoot(page, 'home');
    }
    await page.keyboard.press('Escape');
    await go(page, `#/schedules/${backup.id}/history`);
    await page.getByRole('list', { name: 'Runs' }).getByRole('link').first().click();
    await page.locator('pre').first().waitFor();
    found.push(...(await violations(page)).map((v) => `run: ${v}`));
    await go(page, '#/schedules');
    await page
      .locator(`[data-schedule-id="${backup.id}"]`)
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByRole('alertdialog').waitFor();
    found.push(...(await violations(page)).map((v) => `delete: ${v}`));
    await page.keyboard.press('Escape');
    expect(found).toEqual([]);
  });

  it('the delete dialog keeps Tab inside, returns focus, and its Delete is red', async () => {
    await go(page, '#/schedules');
    const opener = page
      .locator(`[data-schedule-id="${backup.id}"]`)
      .getByRole('button', { name: 'Delete' });
    await opener.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    const inside = () => dialog.evaluate((d) => d.contains((d.ownerDocument as any).activeElement));
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await inside()).toBe(true);
    const colours = await dialog.getByRole('button', { name: 'Delete' }).evaluate((b) => {
      const view = (b.ownerDocument as any).defaultView;
      const probe = (b.ownerDocument as any).createElement('span');
      probe.style.color = 'var(--danger)';
      (b.ownerDocument as any).body.append(probe);
      const danger = view.getComputedStyle(probe).color;
      probe.remove();
      return { background: view.getComputedStyle(b).backgroundColor, danger };
    });
    expect(colours.background).toBe(colours.danger);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((b) => b === (b.ownerDocument as any).activeElement)).toBe(true);
  });
});

describe('at the tray’s size, 420×640', () => {
  let tray: Page;
  beforeAll(async () => {
    tray = (await openPage(session.browser, { width: 420, height: 640 })).page;
    await tray.goto(session.served.uiUrl);
  });

  const noSideScroll = (p: Page) =>
    p.evaluate(() => {
      const doc = (globalThis as any).document.documentElement;
      return doc.scrollWidth <= doc.clientWidth;
    });

  it('each schedule is a card with Run now in view, and nothing scrolls sideways', async () => {
    await go(tray, '#/schedules');
    const card = tray.locator(`[data-schedule-id="${backup.id}"]`);
    await card.waitFor();
    const runNow = card.getByRole('button', { name: 'Run now' });
    const box = await runNow.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 420).toBe(true);
    expect(await card.getByRole('switch').count()).toBe(1);
    expect(await noSideScroll(tray)).toBe(true);
    // The rest is behind the menu; Escape closes it and returns to its button.
    const more = card.getByRole('button', { name: 'More' });
    await more.click();
    const menu = tray.getByRole('menu');
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['History', 'Edit', 'Delete']);
    await tray.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await more.evaluate((b) => b === (b.ownerDocument as any).activeElement)).toBe(true);
    await shoot(tray, 'tray-schedules');
  });

  it('History keeps Duration and Exit in view', async () => {
    await go(tray, `#/schedules/${backup.id}/history`);
    const row = tray.getByRole('list', { name: 'Runs' }).getByRole('link').first();
    await row.waitFor();
    const cells = await row.locator(':scope > span').evaluateAll((spans) =>
      spans.map((s) => {
        const r = s.getBoundingClientRect();
        return { text: s.textContent, right: r.right, width: r.width };
      }),
    );
    const [duration, exit] = cells.slice(-2);
    expect(duration?.text).toMatch(/\d+ ms|\d+\.\d s/);
    expect(exit?.text).toBe('0');
    for (const cell of [duration, exit]) {
      expect(cell?.width).toBeGreaterThan(0);
      expect(cell?.right).toBeLessThanOrEqual(420);
    }
    expect(await noSideScroll(tray)).toBe(true);
    await shoot(tray, 'tray-history');
  });
});
