// @ts-nocheck
// 
// Listening on the owner's Unix socket, and telling its requests apart. A request is taken
// as a socket request only if its connection was accepted by a server listening here: no
// header or address a TCP client controls can make a TCP request look like one.
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PRIVATE_FILE_MODE } from '../core/private-fs';

const accepted = new WeakSet<Socket>();

export function isUnixSocketRequest(req: IncomingMessage): boolean {
  return accepted.has(req.socket);
}

/**
 * Removes a socket file left by an owner that died (only the lock holder calls this, so no
 * live owner is listening there); refuses to touch anything that is not a socket.
 */
function clearStale(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; move it away`);
  unlinkSync(path);
}

export async function listenOnSocket(app: FastifyInstance, path: string): Promise<void> {
  const pipe = process.platform === 'win32';
  if (!pipe) clearStale(path);
  app.server.on('connection', (socket: Socket) => accepted.add(socket));
  await app.listen({ path });
  // The data directory is 0700 already; the socket itself is the owner's only, too.
  if (!pipe) chmodSync(path, PRIVATE_FILE_MODE);
}
