// The test's side of the Electron harness: runs the BUILT main process (out/main/index.js) in
// a child Node process whose `electron` is the stand-in in this folder, records every call it
// makes there, and plays the user through commands. Each app gets a fresh home directory, so
// its data folder is where Electron would put it: ~/.config/Cmdop Scheduler on Linux.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Another built app (an older commit, say) to drive instead of this one. */
export const APP_DIR = resolve(process.env.CMDOP_HARNESS_APP_DIR ?? REPO);
const BOOT = fileURLToPath(new URL('./boot.mjs', import.meta.url));

export interface Call {
  seq: number;
  api: string;
  detail: any;
}

export interface Scenario {
  platform?: 'linux' | 'darwin' | 'win32';
  /** Linux safeStorage backend (default basic_text: no keyring recognised). */
  keyring?: string;
  openedAtLogin?: boolean;
  faults?: Array<{ throw: string; message?: string } | { fs: string; match: string; code: string }>;
}

export interface LaunchOptions {
  /** Shared between launches to model one user: a second instance, a restart. */
  home?: string;
  args?: string[];
  scenario?: Scenario;
  env?: Record<string, string | undefined>;
}

/** A fresh home directory for one user of the app. */
export function makeHome(): string {
  return mkdtempSync(join(tmpdir(), 'cmdop-harness-'));
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

/** Where the app keeps its data for `home`, as serve's default would put it on Linux. */
export function linuxDataDir(home: string): string {
  return join(home, '.config', 'Cmdop Scheduler');
}

export class HarnessApp {
  readonly calls: Call[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';
  stdout = '';
  private readonly pending = new Map<number, { resolve(v: any): void; reject(e: Error): void }>();
  private nextId = 1;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly child: ChildProcess,
    readonly home: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('message', (m: any) => {
      if (m?.type === 'record') {
        this.calls.push({ seq: m.seq, api: m.api, detail: m.detail });
        for (const w of this.waiters.splice(0)) w();
      } else if (m?.type === 'reply') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.value);
        else p?.reject(new Error(m.error));
      }
    });
    this.exited = new Promise((res) =>
      child.on('exit', (code) => {
        for (const p of this.pending.values()) p.reject(new Error('the app exited'));
        for (const w of this.waiters.splice(0)) w();
        res(code);
      }),
    );
  }

  static launch(options: LaunchOptions = {}): HarnessApp {
    const home = options.home ?? makeHome();
    const env: Record<string, string | undefined> = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      APPDATA: join(home, 'AppData', 'Roaming'),
      // No desktop unless the test brings one: notify-send and the tray probe find no bus.
      DBUS_SESSION_BUS_ADDRESS: undefined,
      DISPLAY: undefined,
      XDG_CURRENT_DESKTOP: undefined,
      CMDOP_SCHEDULER_TOKEN: undefined,
      HARNESS_APP_DIR: APP_DIR,
      HARNESS_SCENARIO: JSON.stringify(options.scenario ?? {}),
      ...options.env,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = fork(join(APP_DIR, 'out/main/index.js'), options.args ?? [], {
      cwd: home,
      env: env as NodeJS.ProcessEnv,
      // Electron's main process only warns on unhandled rejections (electron/electron#36528).
      execArgv: ['--import', BOOT, '--unhandled-rejections=warn'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new HarnessApp(child, home);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Calls of one API, in order. */
  of(api: string): Call[] {
    return this.calls.filter((c) => c.api === api);
  }

  /** Resolves with the first call (after `after`) that matches; rejects on exit or timeout. */
  async waitFor(
    api: string,
    match: (detail: any) => boolean = () => true,
    options: { after?: number; timeoutMs?: number } = {},
  ): Promise<Call> {
    const { after = 0, timeoutMs = 10_000 } = options;
    const deadline = setTimeout(() => {
      for (const w of this.waiters.splice(0)) w();
    }, timeoutMs);
    const started = process.hrtime.bigint();
    try {
      for (;;) {
        const found = this.calls.find((c) => c.seq > after && c.api === api && match(c.detail));
        if (found) return found;
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (!this.running || elapsedMs >= timeoutMs) {
          throw new Error(
            `no ${api} call ${this.running ? `within ${timeoutMs} ms` : '(the app exited)'}; ` +
              `calls: ${this.calls.map((c) => c.api).join(', ')}\nstderr: ${this.stderr}`,
          );
        }
        await new Promise<void>((r) => this.waiters.push(r));
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  /** The seq of the latest call, to wait for what happens after now. */
  get mark(): number {
    return this.calls.at(-1)?.seq ?? 0;
  }

  command<T = any>(name: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'command', id, name, args });
    });
  }

  /**
   * Until start-up has run to its end: the last thing main sets up is the power monitor,
   * and the round trip after it lets the launch decision (window or not) happen.
   */
  async started(): Promise<void> {
    await this.waitFor('powerMonitor.on', (d) => d.event === 'lock-screen');
    await this.state();
  }

  state(): Promise<any> {
    return this.command('state');
  }

  /** window.cmdop.<method>(...args) in the app's window: the same result object the UI gets. */
  bridge(method: string, ...args: unknown[]): Promise<any> {
    return this.command('bridge', { method, args });
  }

  clickTray(...path: string[]): Promise<void> {
    return this.command('trayClick', { path });
  }

  /** Ends a child still running (cleanup); returns its exit code. */
  async stop(): Promise<number | null> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}
