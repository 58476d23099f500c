// @ts-nocheck
// 
// How the terminal client reaches the engine: the owner's Unix socket in the data directory
// (no token: the file's permissions are the authentication), or HTTP to a URL with a token
// (--remote-url: our own TCP API or any Cmdop-compatible server). Never the store itself.
import { request } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { remoteUrlError } from '../shared/settings';
import { socketPath } from '../core/socket-path';
import { CliError, EXIT, usageError } from './errors';

/** A fetch that sends each request over a Unix socket (or Windows named pipe). */
export function socketFetch(path: string): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init.headers);
      headers.set('host', 'localhost');
      const req = request(
        {
          socketPath: path,
          agent: false,
          method: init.method ?? 'GET',
          path: `${url.pathname}${url.search}`,
          headers: Object.fromEntries(headers),
        },
        (res) => {
          const answer = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            answer.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
          }
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304 || init.method === 'HEAD';
          const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers: answer }));
        },
      );
      const abort = () => req.destroy(init.signal?.reason ?? new Error('aborted'));
      if (init.signal?.aborted) return abort();
      init.signal?.addEventListener('abort', abort, { once: true });
      req.on('error', reject);
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
}

export interface Target {
  /** Where requests go, up to /v1. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Our own owner (socket): it has batch, backups, settings and events. */
  local: boolean;
  /** For messages: the socket path or the URL. */
  describe: string;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** The token for a URL: CMDOP_API_TOKEN, else the local API's own (env or data directory). */
function tokenFor(url: URL, dataDir: string, env: NodeJS.ProcessEnv): string {
  const token = env.CMDOP_API_TOKEN?.trim() || env.CMDOP_SCHEDULER_TOKEN?.trim();
  if (token) return token;
  const file = join(dataDir, 'api-token');
  if (LOOPBACK.includes(url.hostname) && existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw usageError(`--remote-url needs a token: set CMDOP_API_TOKEN`);
}

export function resolveTarget(
  options: { dataDir: string; remoteUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
): Target {
  if (options.remoteUrl !== undefined) {
    const problem = remoteUrlError(options.remoteUrl);
    if (problem) throw usageError(`--remote-url ${problem}, got '${options.remoteUrl}'`);
    const url = new URL(options.remoteUrl);
    // `http://127.0.0.1:7878` is taken to mean its API, under /v1.
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
    const baseUrl = url.href.replace(/\/+$/, '');
    return {
      baseUrl,
      token: tokenFor(url, options.dataDir, env),
      local: false,
      describe: baseUrl,
    };
  }
  const path = socketPath(options.dataDir);
  if (process.platform !== 'win32' && !existsSync(path)) {
    throw new CliError(
      `no Cmdop Scheduler is running for ${options.dataDir} (no ${path}); start the tray app or \`cmdop-scheduler serve\`, or pass --data-dir`,
      EXIT.unreachable,
    );
  }
  return {
    baseUrl: 'http://localhost/v1',
    token: '',
    fetch: socketFetch(path),
    local: true,
    describe: path,
  };
}
