// @ts-nocheck
// 
// Exit codes a script can act on, and the one error type commands throw to reach them.
import { ApiError } from '../shared/errors';

export const EXIT = {
  ok: 0,
  /** The server refused or the operation failed (validation, conflict, not running…). */
  failed: 1,
  /** The command line is wrong: unknown flag, missing argument, bad value. */
  usage: 2,
  /** Nobody to talk to: no owner on the data directory's socket, or the remote is down. */
  unreachable: 3,
  /** The schedule, command or backup named does not exist. */
  notFound: 4,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

/** The exit code for an error from the API. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ApiError) {
    if (error.code === 'not_found') return EXIT.notFound;
    if (error.code === 'upstream_unavailable') return EXIT.unreachable;
    return EXIT.failed;
  }
  return EXIT.failed;
}

/** What to print for an error: the API's message, and each bad field on its own line. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.details.fields ?? {};
    const lines = Object.entries(fields).map(([field, why]) => `  ${field}: ${why}`);
    const head = lines.length > 0 ? error.message.replace(/:.*$/s, ':') : error.message;
    return [head, ...lines].join('\n');
  }
  return (error as Error).message ?? String(error);
}
