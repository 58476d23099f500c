// @ts-nocheck
// 
// What every command is made of: its flags (plus the common ones), a help text, and a run
// function that gets the parsed arguments and a context with the client and the outputs.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { defaultDataDir } from '../core/data-dir';
import { CliClient } from './client';
import { usageError } from './errors';
import type { Out } from './format';
import { resolveTarget } from './transport';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Context {
  values: Values;
  positionals: string[];
  json: boolean;
  dataDir: string;
  out: Out;
  err: Out;
  env: NodeJS.ProcessEnv;
  now(): number;
  /** The client, connected on first use (help and completion never need one). */
  client(): CliClient;
  /** Standard input, read whole (for `import -`). */
  stdin(): Promise<string>;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The usage line(s) and flags, shown by --help. */
  help: string;
  options?: Options;
  /** How many positionals: [min, max]. */
  args?: [number, number];
  run(ctx: Context): Promise<number>;
}

export const COMMON_OPTIONS: Options = {
  'data-dir': { type: 'string' },
  'remote-url': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const COMMON_HELP = `Common flags:
  --data-dir DIR     the data directory whose owner to talk to (default: ${defaultDataDir()})
  --remote-url URL   talk to this API over HTTP instead (our TCP API or a Cmdop-compatible
                     server); the token comes from CMDOP_API_TOKEN
  --json             machine-readable output
  -h, --help         this help
`;

export function parse(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw usageError(`${(e as Error).message}\n\n${command.help}`);
  }
}

export function makeContext(
  command: Command,
  argv: string[],
  io: {
    out: Out;
    err: Out;
    env: NodeJS.ProcessEnv;
    stdin: () => Promise<string>;
    signal: AbortSignal;
  },
): Context {
  const { values, positionals } = parse(command, argv);
  const [min, max] = command.args ?? [0, 0];
  if (!values.help && (positionals.length < min || positionals.length > max)) {
    const want = min === max ? `${min}` : `${min}-${max}`;
    throw usageError(
      `${command.name} takes ${want} argument(s), got ${positionals.length}\n\n${command.help}`,
    );
  }
  const dataDir = resolve((values['data-dir'] as string | undefined) ?? defaultDataDir());
  let client: CliClient | null = null;
  return {
    values: values as Values,
    positionals,
    json: values.json === true,
    dataDir,
    ...io,
    now: () => Date.now(),
    client: () =>
      (client ??= new CliClient(
        resolveTarget({ dataDir, remoteUrl: values['remote-url'] as string | undefined }, io.env),
      )),
  };
}

/** A string flag, or undefined. */
export const str = (ctx: Context, name: string) => ctx.values[name] as string | undefined;
export const flag = (ctx: Context, name: string) => ctx.values[name] === true;
