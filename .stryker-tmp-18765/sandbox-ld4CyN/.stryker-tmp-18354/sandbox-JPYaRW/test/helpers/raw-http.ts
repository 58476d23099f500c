// @ts-nocheck
// 
// HTTP over a bare TCP socket (node:net): request lines that fetch and node:http refuse to
// send (percent-encoded prefixes, absolute-form targets, malformed lines, oversize headers).
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined. */
  json: any;
}

function decodeChunked(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

export function parseResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  let body = split < 0 ? '' : text.slice(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding'] === 'chunked') body = decodeChunked(body);
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body, json };
}

/** Sends `request` as is and reads until the server closes (send `Connection: close`). */
export function rawRequest(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // write, not end: a half-closed socket may be dropped before a streamed answer is sent.
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('utf8'))));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // The server may answer and reset before reading all of an oversize request.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return;
      reject(e);
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
  });
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A well-formed request with `target` written verbatim in the request line. */
export function buildRequest(port: number, target: string, options: RawOptions = {}): string {
  const { method = 'GET', body } = options;
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    connection: 'close',
    ...options.headers,
  };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

/** The documented error envelope: `{error: {code, message, details}}`. */
export function isEnvelope(json: any): boolean {
  const e = json?.error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    typeof e.message === 'string' &&
    e.message !== '' &&
    typeof e.details === 'object' &&
    e.details !== null &&
    !Array.isArray(e.details)
  );
}
