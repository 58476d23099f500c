// The environment a run starts in. "Works in my terminal, fails in the scheduler" comes from
// commands started with the desktop session's environment, without the PATH and variables
// the user's profile sets: `shell: "login"` runs `$SHELL -l -c`, so the profile is read as in
// a terminal; `plain` is `$SHELL -c` as before. `env_file` is a dotenv file read at each run
// (values as the `dotenv` package reads them; no `$VAR` expansion, as systemd's
// EnvironmentFile=), so secrets can live in a 0600 file rather than in the schedule.
import { readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import type { ShellMode } from '../shared/types';
import { resolveShell, type ShellCommand } from './runner';

export interface RunEnvironmentInput {
  command: string;
  shell: ShellMode;
  env: Record<string, string>;
  env_file: string | null;
}

export interface RunEnvironment {
  shell: ShellCommand;
  env: NodeJS.ProcessEnv;
  /** What the run records: the program and its flags, e.g. "/bin/bash -l -c". */
  label: string;
  envFile: string | null;
  /** Why the run cannot start (the env file cannot be read), or null. */
  problem: string | null;
}

/** The variables of a dotenv file, or why it cannot be read. */
export function readEnvFile(path: string): { vars: Record<string, string> } | { problem: string } {
  let text: string;
  try {
    // Stryker disable next-line StringLiteral: dotenv parses a Buffer as it parses its text
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'is not readable (permission denied)'
          : code === 'EISDIR'
            ? 'is a directory'
            : `cannot be read (${(e as Error).message})`;
    return { problem: `env_file ${path} ${why}` };
  }
  return { vars: parseDotenv(text) };
}

/**
 * The shell, arguments and environment of one run. Later wins: the app's environment, then
 * the schedule's `env`, then the env file (systemd's order for Environment= and
 * EnvironmentFile=). A login shell then reads the profile, which may change them again.
 */
export function runEnvironment(
  s: RunEnvironmentInput,
  base: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): RunEnvironment {
  const env: NodeJS.ProcessEnv = { ...base, ...s.env };
  let problem: string | null = null;
  if (s.env_file !== null) {
    const file = readEnvFile(s.env_file);
    if ('problem' in file) problem = file.problem;
    else Object.assign(env, file.vars);
  }
  const plain = resolveShell(s.command, env, platform);
  // cmd.exe has no login mode; elsewhere -l before -c is understood by sh, dash, bash, zsh, fish.
  const login = s.shell === 'login' && platform !== 'win32';
  const shell = login ? { file: plain.file, args: ['-l', ...plain.args] } : plain;
  const flags = shell.args.slice(0, shell.args.length - 1).join(' ');
  return { shell, env, label: `${shell.file} ${flags}`, envFile: s.env_file, problem };
}
