// @ts-nocheck
// 
// Where the owner of a data directory listens for the terminal client: a Unix socket in the
// folder, or on Windows a named pipe derived from it. The owner and the CLI compute it alike.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const SOCKET_FILE = 'api.sock';

export function socketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return join(dataDir, SOCKET_FILE);
  // Named pipes live in one flat namespace: one per data directory.
  const hash = createHash('sha256').update(dataDir.toLowerCase()).digest('hex').slice(0, 16);
  return `\\\\.\\pipe\\cmdop-scheduler-${hash}`;
}
