// @ts-nocheck
// 
// A throwaway desktop for notification tests: a virtual X display, a private session bus
// whose activation starts dunst on that display, and dbus-monitor recording every Notify call.
// Nothing touches the machine's real session.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

// Which Debian package brings each program, so a failure says what to install.
const TOOLS: Record<string, string> = {
  'notify-send': 'libnotify-bin',
  Xvfb: 'xvfb',
  'dbus-daemon': 'dbus',
  'dbus-monitor': 'dbus',
  'dbus-send': 'dbus',
  dunst: 'dunst',
};
const DUNST_SERVICE = '/usr/share/dbus-1/services/org.knopwob.dunst.service';

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Empty when everything is there; else one line per missing program and its package. */
export function missingTools(): string[] {
  const missing = Object.entries(TOOLS)
    .filter(([program]) => !onPath(program))
    .map(([program, pkg]) => `${program} (apt-get install ${pkg})`);
  // Without the activation file the bus cannot start dunst, and notify-send fails.
  if (onPath('dunst') && !existsSync(DUNST_SERVICE)) {
    missing.push(`${DUNST_SERVICE} (apt-get install --reinstall dunst)`);
  }
  return missing;
}

export interface NotifyCall {
  app: string;
  summary: string;
  body: string;
}

/** The Notify calls in dbus-monitor's text output, in order. */
export function parseNotifyCalls(output: string): NotifyCall[] {
  return output
    .split(/^(?=method call )/m)
    .filter((block) => /^method call .*member=Notify$/m.test(block.split('\n')[0] ?? ''))
    .map((block) => {
      // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, timeout): the
      // first four strings; hint keys come after them.
      const strings = [...block.matchAll(/^ {3}string "(.*)"$/gm)].map((m) => m[1] ?? '');
      return { app: strings[0] ?? '', summary: strings[2] ?? '', body: strings[3] ?? '' };
    });
}

async function waitFor(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await gone;
  clearTimeout(timer);
}

function displayFree(n: number): boolean {
  return !existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`);
}

export class DesktopSession {
  display = '';
  busAddress = '';
  private xvfb?: ChildProcess;
  private bus?: ChildProcess;
  private monitor?: ChildProcess;
  private monitorOut = '';
  private savedEnv: Record<'DISPLAY' | 'DBUS_SESSION_BUS_ADDRESS', string | undefined> | null =
    null;

  async start(): Promise<void> {
    const missing = missingTools();
    if (missing.length > 0) {
      throw new Error(`the notification test needs these programs:\n  ${missing.join('\n  ')}`);
    }
    await this.startXvfb();
    await this.startBus();
    await this.startMonitor();
    // node-notifier's notify-send inherits this process's environment at each send.
    this.savedEnv = {
      DISPLAY: process.env.DISPLAY,
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    };
    process.env.DISPLAY = this.display;
    process.env.DBUS_SESSION_BUS_ADDRESS = this.busAddress;
  }

  private async startXvfb(): Promise<void> {
    const tried: string[] = [];
    for (let n = 90; n <= 99; n++) {
      if (!displayFree(n)) continue;
      let stderr = '';
      const child = spawn('Xvfb', [`:${n}`, '-nolisten', 'tcp'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      // Another process may take the same number between the check and the spawn.
      try {
        await waitFor(
          `Xvfb :${n}`,
          () => existsSync(`/tmp/.X11-unix/X${n}`) || exited(child),
          5000,
        );
      } catch (err) {
        await stop(child);
        throw err;
      }
      if (!exited(child)) {
        this.xvfb = child;
        this.display = `:${n}`;
        return;
      }
      tried.push(`:${n}: ${stderr.trim().split('\n').pop() ?? ''}`);
    }
    throw new Error(`no free X display in :90-:99 (${tried.join('; ') || 'all taken'})`);
  }

  private async startBus(): Promise<void> {
    // DISPLAY in the bus's environment is what dunst, activated by the bus, gets.
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
      env: { ...process.env, DISPLAY: this.display },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.bus = bus;
    let out = '';
    let err = '';
    bus.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    bus.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    await waitFor('the session bus address', () => out.includes('\n') || exited(bus), 5000);
    if (exited(bus)) throw new Error(`dbus-daemon exited: ${err.trim()}`);
    this.busAddress = out.split('\n')[0]!.trim();
  }

  private async startMonitor(): Promise<void> {
    const monitor = spawn(
      'dbus-monitor',
      ['--address', this.busAddress, 'interface=org.freedesktop.Notifications,member=Notify'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.monitor = monitor;
    let err = '';
    monitor.stdout?.on('data', (d: Buffer) => (this.monitorOut += d.toString()));
    monitor.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    // Becoming a monitor drops the connection's name: once NameLost is printed, it listens.
    await waitFor(
      'dbus-monitor',
      () => this.monitorOut.includes('NameLost') || exited(monitor),
      5000,
    );
    if (exited(monitor)) throw new Error(`dbus-monitor exited: ${err.trim()}`);
  }

  notifyCalls(): NotifyCall[] {
    return parseNotifyCalls(this.monitorOut);
  }

  async waitForNotify(match: (call: NotifyCall) => boolean, timeoutMs = 5000): Promise<NotifyCall> {
    let found: NotifyCall | undefined;
    await waitFor(
      'a matching Notify call',
      () => !!(found = this.notifyCalls().find(match)),
      timeoutMs,
    );
    return found!;
  }

  /** dunst was started by the bus, not by us: find it by asking the bus, to end it by pid. */
  private async notificationServerPid(): Promise<number | null> {
    try {
      const { stdout } = await promisify(execFile)('dbus-send', [
        `--address=${this.busAddress}`,
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.GetConnectionUnixProcessID',
        'string:org.freedesktop.Notifications',
      ]);
      const m = /uint32 (\d+)/.exec(stdout);
      return m ? Number(m[1]) : null;
    } catch {
      return null; // never activated
    }
  }

  async stop(): Promise<void> {
    // Only what start() changed: a start that failed early leaves the environment alone.
    const saved = this.savedEnv;
    this.savedEnv = null;
    for (const key of ['DISPLAY', 'DBUS_SESSION_BUS_ADDRESS'] as const) {
      if (!saved) break;
      const value = saved[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    // Asked while the bus still runs, so the pid is certainly dunst's and not a reused one.
    const server = this.bus && !exited(this.bus) ? await this.notificationServerPid() : null;
    if (server !== null) {
      try {
        process.kill(server, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await stop(this.monitor);
    await stop(this.bus);
    await stop(this.xvfb);
  }
}
