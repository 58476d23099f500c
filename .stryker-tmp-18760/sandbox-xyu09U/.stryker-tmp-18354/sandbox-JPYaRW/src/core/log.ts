// @ts-nocheck
// 
// A tiny injected logger: the engine never writes to the console directly, so tests can
// capture lines and the surfaces decide where logs go.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function consoleLogger(
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const line = (level: string, message: string) =>
    write(`${new Date().toISOString()} ${level} ${message}\n`);
  return {
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (m) => line('error', m),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
