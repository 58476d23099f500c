// @ts-nocheck
// 
// Runs from the terminal: run (with --follow, live output and the command's exit code),
// logs, tail (every run's events live) and status.
import { constants } from 'node:os';
import { ADHOC_OWNER, toRun } from '../../shared/cmdop-command';
import { ApiError } from '../../shared/errors';
import type { ApiEvent } from '../../shared/events';
import { RUN_STATUSES, type Run } from '../../shared/types';
import type { CliClient } from '../client';
import { flag, str, type Command, type Context } from '../command';
import { CliError, EXIT, usageError } from '../errors';
import { clip, duration, json, runSummary, when } from '../format';

/** What `run --follow` exits with: the command's own code, or what a shell would say. */
export function exitCodeOf(run: Run): number {
  if (run.status === 'success') return 0;
  if (run.status === 'timeout') return 124; // as timeout(1)
  if (run.status === 'cancelled' || run.status === 'interrupted') return 130;
  if (run.exit_code !== null) return run.exit_code;
  const signo = run.signal
    ? constants.signals[run.signal as keyof typeof constants.signals]
    : undefined;
  return signo !== undefined ? 128 + signo : EXIT.failed;
}

async function poll(client: CliClient, commandId: string, signal: AbortSignal): Promise<Run> {
  for (;;) {
    const run = toRun(await client.getCommand(commandId));
    if (run.finished_at !== null) return run;
    if (signal.aborted) await client.cancelCommand(commandId).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function follow(ctx: Context, client: CliClient, scheduleId: string): Promise<Run> {
  const controller = new AbortController();
  let commandId: string | null = null;
  const early: ApiEvent[] = [];
  let finish: (run: Run) => void = () => {};
  const finished = new Promise<Run>((resolve) => (finish = resolve));
  const onEvent = (e: ApiEvent) => {
    if (commandId === null) return void early.push(e);
    if (e.type === 'run.output' && e.command_id === commandId && !ctx.json) {
      (e.stream === 'stdout' ? ctx.out : ctx.err).write(e.chunk);
    } else if (e.type === 'run.finished' && e.run.command_id === commandId) {
      finish(e.run);
    }
  };
  let stream: { ended: Promise<void> } | null = null;
  try {
    // Subscribed before the run starts, so not a byte of its output is missed.
    stream = await client.events(onEvent, controller.signal);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'not_found')) throw e;
  }
  const started = await client.runNow(scheduleId);
  commandId = started.command_id;
  early.splice(0).forEach(onEvent);
  // Ctrl-C cancels the run (SIGTERM to its group) and waits for it to end, as a shell would.
  const cancel = () => void client.cancelCommand(started.command_id).catch(() => undefined);
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    if (!stream) {
      const run = await poll(client, started.command_id, ctx.signal);
      if (!ctx.json) {
        ctx.out.write(run.stdout);
        ctx.err.write(run.stderr);
      }
      return run;
    }
    const gone = stream.ended.then(() => {
      throw new CliError('the scheduler stopped before the run finished', EXIT.unreachable);
    });
    return await Promise.race([finished, gone]);
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
    controller.abort();
  }
}

export const run: Command = {
  name: 'run',
  summary: 'run a schedule now (--follow: stream its output, exit with its code)',
  help: `Usage: cmdop-scheduler run ID|NAME [--follow] [--json]

  --follow   stream the output live and exit with the command's exit code (124 timeout,
             130 cancelled or interrupted, 128+N killed by signal N); Ctrl-C cancels the run
`,
  options: { follow: { type: 'boolean', short: 'f' } },
  args: [1, 1],
  async run(ctx) {
    const client = ctx.client();
    const s = await client.resolve(ctx.positionals[0] as string);
    if (!flag(ctx, 'follow')) {
      const started = await client.runNow(s.id);
      ctx.out.write(ctx.json ? json(started) : `started ${started.command_id} for '${s.name}'\n`);
      return 0;
    }
    const finished = await follow(ctx, client, s.id);
    if (ctx.json) ctx.out.write(json(finished));
    return exitCodeOf(finished);
  },
};

function positiveInt(text: string, flagName: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw usageError(`--${flagName} must be a whole number >= 1, got '${text}'`);
  return n;
}

export const logs: Command = {
  name: 'logs',
  summary: "a schedule's recent runs with their output",
  help: `Usage: cmdop-scheduler logs ID|NAME [--limit N] [--status STATUS] [--since TIME] [--json]

  --limit N        how many runs, newest (default 10); printed oldest first
  --status STATUS  only runs that ended so: ${RUN_STATUSES.join(', ')}
  --since TIME     only runs started at or after an ISO time, e.g. 2026-03-01T00:00:00Z
`,
  options: { limit: { type: 'string' }, status: { type: 'string' }, since: { type: 'string' } },
  args: [1, 1],
  async run(ctx) {
    const limit = positiveInt(str(ctx, 'limit') ?? '10', 'limit');
    const client = ctx.client();
    const s = await client.resolve(ctx.positionals[0] as string);
    const runs: Run[] = [];
    while (runs.length < limit) {
      const page = await client.history(s.id, {
        limit: Math.min(100, limit - runs.length),
        offset: runs.length,
        status: str(ctx, 'status') as Run['status'] | undefined,
        since: str(ctx, 'since'),
      });
      runs.push(...page.data);
      if (page.data.length === 0 || runs.length >= page.meta.total) break;
    }
    if (ctx.json) {
      ctx.out.write(json(runs));
      return 0;
    }
    if (runs.length === 0) ctx.out.write(`no runs of '${s.name}'\n`);
    const now = ctx.now();
    for (const r of [...runs].reverse()) {
      ctx.out.write(
        `== ${r.id} · ${when(r.started_at, now)} · ${runSummary(r)} · ${r.trigger} ==\n`,
      );
      if (r.stdout) ctx.out.write(r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`);
      if (r.stderr)
        ctx.out.write(`-- stderr --\n${r.stderr.endsWith('\n') ? r.stderr : `${r.stderr}\n`}`);
    }
    return 0;
  },
};

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

export const tail: Command = {
  name: 'tail',
  summary: 'every run and change, live (Ctrl-C to stop)',
  help: 'Usage: cmdop-scheduler tail [--json]\n\n  --json   one event per line (NDJSON), as GET /v1/events sends them\n',
  async run(ctx) {
    const client = ctx.client();
    const names = new Map((await client.listAll()).map((s) => [s.id, s.name]));
    const name = (id: string) => clip(names.get(id) ?? (id === ADHOC_OWNER ? 'ad-hoc' : id), 32);
    const prefixed = (who: string, text: string) =>
      text
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `[${who}] ${l}\n`)
        .join('');
    const controller = new AbortController();
    ctx.signal.addEventListener('abort', () => controller.abort(), { once: true });
    const { ended } = await client.events((e) => {
      if (ctx.json) return ctx.out.write(`${JSON.stringify(e)}\n`);
      switch (e.type) {
        case 'run.started':
          return ctx.out.write(
            `${clock()}  ${name(e.run.schedule_id)}  started ${e.run.command_id} (${e.run.trigger})\n`,
          );
        case 'run.output':
          return (e.stream === 'stdout' ? ctx.out : ctx.err).write(
            prefixed(name(e.schedule_id), e.chunk),
          );
        case 'run.finished':
          return ctx.out.write(`${clock()}  ${name(e.run.schedule_id)}  ${runSummary(e.run)}\n`);
        case 'run.stuck':
          return ctx.out.write(
            `${clock()}  ${name(e.run.schedule_id)}  running long: ${duration(e.running_for)} so far, usually ${duration(e.usual)}\n`,
          );
        case 'schedule.created':
        case 'schedule.updated':
          names.set(e.schedule.id, e.schedule.name);
          return ctx.out.write(`${clock()}  ${name(e.schedule.id)}  ${e.type.slice(9)}\n`);
        case 'schedule.deleted':
          return ctx.out.write(`${clock()}  ${name(e.id)}  deleted\n`);
        default:
          return undefined;
      }
    }, controller.signal);
    ctx.err.write(`watching ${client.target.describe}; Ctrl-C to stop\n`);
    await ended;
    if (ctx.signal.aborted) return 0;
    throw new CliError('the scheduler stopped', EXIT.unreachable);
  },
};
