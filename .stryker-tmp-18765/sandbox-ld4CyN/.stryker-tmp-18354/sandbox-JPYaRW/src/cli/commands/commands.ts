// @ts-nocheck
// 
// Ad-hoc commands from the terminal (Cmdop's Commands API): `exec` runs one on this machine
// (or another of a Cmdop connection) through the scheduler — same runner, caps and history
// as a schedule's run — and `commands` lists them.
import { COMMAND_STATUSES } from '../../shared/schemas';
import { toRun, type Command as CmdopCommand } from '../../shared/cmdop-command';
import { flag, str, type Command } from '../command';
import { usageError } from '../errors';
import { clip, json, runSummary, table, when } from '../format';
import { exitCodeOf } from './runs';
import { parseEnvPairs, parseTimeout } from './schedules';

export const exec: Command = {
  name: 'exec',
  summary: 'run an ad-hoc command through the scheduler and exit with its code',
  help: `Usage: cmdop-scheduler exec [flags] [--] COMMAND...

Runs COMMAND in your shell as the scheduler runs a schedule (output capped, recorded in the
history of ad-hoc commands), prints its output and exits with its code (124 timeout, 130
cancelled or interrupted). The words of COMMAND are joined with spaces: quote what the shell
must see as one.

  --machine ID          machine id (default: local)
  --cwd DIR             absolute working directory (default: your home)
  --env NAME=VALUE      extra environment (repeat for more)
  --timeout DURATION    e.g. 90s, 5m (default 60s, at most 1h; --async: none unless given)
  --async               start it and print its command id without waiting
`,
  options: {
    machine: { type: 'string' },
    cwd: { type: 'string' },
    env: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    async: { type: 'boolean' },
  },
  args: [1, 1000],
  async run(ctx) {
    const client = ctx.client();
    const timeout = str(ctx, 'timeout');
    const body = {
      machine_id: str(ctx, 'machine') ?? 'local',
      command: ctx.positionals.join(' '),
      ...(str(ctx, 'cwd') !== undefined ? { cwd: str(ctx, 'cwd') } : {}),
      ...(ctx.values.env ? { env: parseEnvPairs(ctx.values.env as string[]) } : {}),
      ...(timeout !== undefined ? { timeout: parseTimeout(timeout) } : {}),
    };
    if (flag(ctx, 'async')) {
      const started = await client.startCommand(body);
      ctx.out.write(ctx.json ? json(started) : `started ${started.id}\n`);
      return 0;
    }
    if (body.timeout === null) throw usageError('--timeout none needs --async');
    const done = await client.runCommand({ ...body, timeout: body.timeout ?? undefined });
    if (ctx.json) ctx.out.write(json(done));
    else {
      ctx.out.write(done.stdout);
      ctx.err.write(done.stderr);
    }
    return exitCodeOf(toRun(done));
  },
};

function row(c: CmdopCommand, now: number): string[] {
  return [c.id, runSummary(toRun(c)), when(c.started_at, now), clip(c.command ?? '', 60)];
}

export const commands: Command = {
  name: 'commands',
  summary: 'ad-hoc commands run on a machine, newest first',
  help: `Usage: cmdop-scheduler commands [--machine ID] [--status STATUS] [--limit N] [--json]

  --machine ID      machine id (default: local)
  --status STATUS   ${COMMAND_STATUSES.join(', ')}
  --limit N         how many (default 20, at most 100)
`,
  options: {
    machine: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
  },
  async run(ctx) {
    const page = await ctx.client().listCommands(str(ctx, 'machine') ?? 'local', {
      status: str(ctx, 'status') as CmdopCommand['status'] | undefined,
      limit: str(ctx, 'limit') ?? 20,
    });
    if (ctx.json) {
      ctx.out.write(json(page.data));
      return 0;
    }
    if (page.data.length === 0) {
      ctx.out.write('no ad-hoc commands\n');
      return 0;
    }
    const now = ctx.now();
    ctx.out.write(
      table(
        ['ID', 'RESULT', 'STARTED', 'COMMAND'],
        page.data.map((c) => row(c, now)),
      ),
    );
    return 0;
  },
};
