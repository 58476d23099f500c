// What every end-to-end file needs: the real `cmdop-scheduler serve` on a temp data dir,
// Debian's Chromium through playwright-core, an API client with the server's token, and
// and screenshots of every view in light and dark: into test-results/screenshots (ignored) on
// `npm test`, into the README's docs/screenshots with `npm run screenshots`.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli';
import { removeDir, tempDir } from '../helpers/server';

export const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);

export interface Served {
  cli: CliProcess;
  dataDir: string;
  /** The link serve printed: origin plus `#token=…`. */
  uiUrl: string;
  origin: string;
  token: string;
  port: number;
  /** JSON over /v1 with the token. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export async function serve(
  options: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<Served> {
  const dataDir = options.dataDir ?? tempDir('cmdop-e2e-');
  const args = ['serve', '--port', String(options.port ?? 0), '--data-dir', dataDir];
  const cli = runCli(args, options.env);
  const origin = await cli.listening;
  const line = /open the UI: (\S+)/.exec(cli.stdout());
  if (!line) throw new Error(`serve printed no UI URL:\n${cli.stdout()}`);
  const uiUrl = line[1] as string;
  const token = decodeURIComponent(uiUrl.split('#token=')[1] ?? '');
  return {
    cli,
    dataDir,
    uiUrl,
    origin,
    token,
    port: Number(new URL(origin).port),
    async call(method, path, body) {
      const res = await fetch(`${origin}/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async stop() {
      cli.child.kill('SIGTERM');
      await cli.exited;
    },
  };
}

export function removeServed(served: Served | undefined) {
  if (served) removeDir(served.dataDir);
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  }
  return chromium.launch({
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
}

export async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
  /** Lets a test inject a script (axe-core) past the page's CSP. */
  bypassCSP = false,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport,
    bypassCSP,
    timezoneId: 'America/New_York',
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return { context, page };
}

/** Light and dark screenshots of what is on screen now, for the README. */
export async function shoot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  // A toast from the last action would cover part of the view.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A schedule made through the API; `cron` defaults to one that will not fire during a test. */
export async function createSchedule(
  served: Served,
  body: { name: string; command: string; cron?: string } & Record<string, unknown>,
) {
  const res = await served.call('POST', '/schedules', {
    machine_id: 'local',
    cron: '0 3 1 1 *',
    ...body,
  });
  if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.json)}`);
  return res.json.data as { id: string; name: string };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Session {
  served: Served;
  browser: Browser;
  page: Page;
}

/**
 * One serve, one browser and one page for a test file, started before its tests and
 * stopped after them; `serve` may start it on a prepared folder.
 */
export function useSession(
  options: {
    viewport?: { width: number; height: number };
    serve?: () => Promise<Served>;
    bypassCSP?: boolean;
  } = {},
): Session {
  const session = {} as Session;
  beforeAll(async () => {
    session.served = await (options.serve ?? serve)();
    session.browser = await launch();
    session.page = (await openPage(session.browser, options.viewport, options.bypassCSP)).page;
  }, 120_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.served?.stop();
    removeServed(session.served);
  });
  return session;
}
