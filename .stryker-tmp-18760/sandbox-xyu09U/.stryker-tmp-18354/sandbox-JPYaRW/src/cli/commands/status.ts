// @ts-nocheck
// 
// `status`: who owns the data directory, what runs next, what is running, what failed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../../core/lock';
import type { Schedule } from '../../shared/types';
import type { Command } from '../command';
import { clip, json, lastRun, when } from '../format';

const FAILED = ['failure', 'timeout', 'interrupted'];

function ownerPid(dataDir: string): number | null {
  try {
    const { pid } = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}

export const status: Command = {
  name: 'status',
  summary: 'the owner, next runs, running commands and failures',
  help: 'Usage: cmdop-scheduler status [--json]\n',
  async run(ctx) {
    const client = ctx.client();
    const local = client.target.local;
    const [schedules, settings, machines] = await Promise.all([
      client.listAll(),
      local ? client.getSettings() : Promise.resolve(null),
      client.listMachines({ limit: 1 }),
    ]);
    const next = schedules
      .filter((s) => s.next_run !== null)
      .sort((a, b) => (a.next_run as string).localeCompare(b.next_run as string))
      .slice(0, 5);
    const running = schedules.filter((s) => s.running);
    const failing = schedules.filter((s) => s.last_run && FAILED.includes(s.last_run.status));
    const brief = (s: Schedule) => ({
      id: s.id,
      name: s.name,
      next_run: s.next_run,
      last_run: s.last_run,
    });
    const report = {
      owner: local
        ? {
            mode: settings?.server.mode ?? null,
            pid: ownerPid(ctx.dataDir),
            socket: client.target.describe,
            tcp_api: settings?.server.url ?? null,
          }
        : { url: client.target.describe },
      data_dir: local ? ctx.dataDir : null,
      machine: machines.data[0] ?? null,
      schedules: { total: schedules.length, enabled: schedules.filter((s) => s.enabled).length },
      paused: settings?.paused ?? null,
      paused_until: settings?.paused_until ?? null,
      muted: settings?.notifications.muted ?? null,
      next: next.map(brief),
      running: running.map(brief),
      failing: failing.map(brief),
    };
    if (ctx.json) {
      ctx.out.write(json(report));
      return 0;
    }
    const now = ctx.now();
    const o = report.owner as Record<string, unknown>;
    const lines = [
      local
        ? `owner:      ${o.mode === 'tray' ? 'the tray app' : 'cmdop-scheduler serve'}${o.pid ? ` (pid ${String(o.pid)})` : ''} on ${String(o.socket)}`
        : `server:     ${String(o.url)}`,
      ...(local ? [`TCP API:    ${String(o.tcp_api ?? 'off')}`, `data:       ${ctx.dataDir}`] : []),
      `machine:    ${report.machine ? `${report.machine.name} (${report.machine.id})` : '-'}`,
      `schedules:  ${report.schedules.total} (${report.schedules.enabled} enabled)` +
        (settings
          ? `; ${settings.paused ? (settings.paused_until ? `PAUSED until ${when(settings.paused_until, now)}` : 'PAUSED') : 'not paused'}; notifications ${settings.notifications.muted ? 'muted' : 'on'}`
          : ''),
      '',
      'next runs:',
      ...(next.length
        ? next.map((s) => `  ${when(s.next_run, now).padEnd(32)} ${clip(s.name, 40)}`)
        : ['  none']),
      'running:',
      ...(running.length ? running.map((s) => `  ${clip(s.name, 40)} (${s.id})`) : ['  nothing']),
      'failing (last run):',
      ...(failing.length
        ? failing.map(
            (s) => `  ${clip(s.name, 40)}: ${lastRun(s)}, ${when(s.last_run?.at ?? null, now)}`,
          )
        : ['  none']),
    ];
    ctx.out.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
