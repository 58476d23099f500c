// The server goes away and comes back: a banner says so at once and goes away by itself,
// and what changed meanwhile is on the page. A token the server refuses, or one that serve
// does not print (CMDOP_SCHEDULER_TOKEN), leads to a page that says where it is and takes it.
import type { Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createSchedule, openPage, serve, useSession, type Served } from './harness';

const session = useSession();
let page: Page;
beforeEach(() => {
  page = session.page;
});

const extra: Served[] = [];
afterAll(async () => {
  for (const s of extra) await s.stop();
});

const banner = () => page.getByRole('alert').filter({ hasText: 'Cannot reach the scheduler' });

describe('connection', () => {
  it('shows a banner while the server is gone, then re-syncs and clears it', async () => {
    await page.goto(session.served.uiUrl);
    await page.getByRole('heading', { name: 'No schedules yet' }).waitFor();
    const { port, dataDir } = session.served;
    await session.served.stop();
    await banner().waitFor();

    // Back on the same port and folder; something changed while the page could not see it.
    const back = await serve({ port, dataDir });
    session.served = back;
    await createSchedule(back, { name: 'Made while away', command: 'true' });
    await banner().waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('heading', { name: 'Next 24 hours' }).waitFor();
    await page.evaluate(() => ((globalThis as any).location.hash = '#/schedules'));
    await page.locator('[data-schedule-id]').filter({ hasText: 'Made while away' }).waitFor();
  });

  it('a refused token leads to a page that says where the token is and takes the link', async () => {
    const other = (await openPage(session.browser)).page;
    await other.goto(`${session.served.origin}/#token=not-the-token`);
    await other.getByText('did not accept the token this tab has').waitFor();
    expect(await other.getByText('api-token').count()).toBeGreaterThan(0);
    await other.getByLabel('Paste the link or the token').fill(session.served.uiUrl);
    await other.getByRole('button', { name: 'Open' }).click();
    await other.getByRole('heading', { name: 'Next 24 hours' }).waitFor();
    await other.close();
  });

  it('serve with CMDOP_SCHEDULER_TOKEN prints a link that opens, and the token is asked for', async () => {
    const secret = 'from-the-environment-0123456789abcdefghijklmnop';
    const withEnv = await serve({ env: { CMDOP_SCHEDULER_TOKEN: secret } });
    extra.push(withEnv);
    expect(withEnv.uiUrl).toBe(`${withEnv.origin}/`);
    expect(withEnv.cli.stdout()).not.toContain(secret);
    const other = (await openPage(session.browser)).page;
    await other.goto(withEnv.uiUrl);
    await other.getByText('CMDOP_SCHEDULER_TOKEN', { exact: false }).first().waitFor();
    await other.getByLabel('Paste the link or the token').fill(secret);
    await other.getByRole('button', { name: 'Open' }).click();
    await other.getByRole('heading', { name: 'No schedules yet' }).waitFor();
    await other.close();
  });
});
