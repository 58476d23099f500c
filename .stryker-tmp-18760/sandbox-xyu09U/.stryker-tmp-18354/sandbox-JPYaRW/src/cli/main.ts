// @ts-nocheck
// 
// The terminal client's entry: picks the command, runs it, and turns every outcome into
// output and an exit code (see errors.ts). Errors go to stderr, results to stdout.
import { backup } from './commands/backup';
import { commands, exec } from './commands/commands';
import { testAlerts } from './commands/alerts';
import { exportCommand, importCommand } from './commands/move';
import { next } from './commands/next';
import { why } from './commands/why';
import { logs, run, tail } from './commands/runs';
import { add, disable, edit, enable, list, rm, show } from './commands/schedules';
import { pause, resume } from './commands/pause';
import { status } from './commands/status';
import { COMMON_HELP, makeContext, type Command } from './command';
import { completionCommand } from './completion';
import { describeError, EXIT, exitCodeOf } from './errors';
import type { Out } from './format';

const SERVE: Command = {
  name: 'serve',
  summary: 'run the scheduler without a desktop (see `serve --help`)',
  help: '',
  run: async () => EXIT.usage, // dispatched before the terminal client; listed for help
};

export const COMMANDS: Command[] = [
  list,
  show,
  next,
  why,
  add,
  edit,
  rm,
  enable,
  disable,
  run,
  logs,
  tail,
  exec,
  commands,
  status,
  pause,
  resume,
  importCommand,
  exportCommand,
  backup,
  testAlerts,
  completionCommand(() => COMMANDS),
  SERVE,
];

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: cmdop-scheduler COMMAND [flags]   (cmdop-scheduler COMMAND --help for its flags)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

The commands talk to whichever process owns the data directory (the tray app or \`serve\`)
over its socket (<data-dir>/api.sock), or to --remote-url over HTTP.

${COMMON_HELP}
Exit codes: 0 ok, 1 refused or failed, 2 usage, 3 no scheduler to talk to, 4 not found;
\`run --follow\` exits with the command's own code.
`;
}

export interface Io {
  out: Out;
  err: Out;
  env: NodeJS.ProcessEnv;
  stdin: () => Promise<string>;
  signal: AbortSignal;
}

export async function runTerminal(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err.write(overview());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    io.out.write(topic ? `${topic.help}\n${COMMON_HELP}` : overview());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command || command === SERVE) {
    io.err.write(`cmdop-scheduler: unknown command '${name}'\n\n${overview()}`);
    return EXIT.usage;
  }
  try {
    const ctx = makeContext(command, rest, io);
    if (ctx.values.help) {
      io.out.write(`${command.help}\n${COMMON_HELP}`);
      return EXIT.ok;
    }
    return await command.run(ctx);
  } catch (e) {
    io.err.write(`cmdop-scheduler ${name}: ${describeError(e)}\n`);
    return exitCodeOf(e);
  }
}

/** Runs with the process's streams and signals, then exits once output is flushed. */
export function main(argv: string[]): void {
  const controller = new AbortController();
  const stop = () => {
    // A second Ctrl-C means now.
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const stdin = async () => {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text;
  };
  const io: Io = {
    out: { write: (t) => void process.stdout.write(t) },
    err: { write: (t) => void process.stderr.write(t) },
    env: process.env,
    stdin,
    signal: controller.signal,
  };
  void runTerminal(argv, io).then((code) => {
    // Exit only when what was written has reached the pipe.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}
