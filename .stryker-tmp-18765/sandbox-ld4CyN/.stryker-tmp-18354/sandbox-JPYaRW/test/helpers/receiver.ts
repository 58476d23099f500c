// @ts-nocheck
// 
// A real HTTP receiver on 127.0.0.1 (ephemeral port) for webhooks and pings: it records each
// request and answers as the test says — a status, or never (to exercise timeouts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
}

/** What to answer the n-th request (1-based): a status, or 'hang' to never answer. */
export type Answer =
  | number
  | 'hang'
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** The most requests it was answering at one moment. */
  maxInFlight: number;
  /** Resolves once `count` requests arrived (real time; for deliveries, never for scheduling). */
  waitFor(count: number, withinMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(
  answer: (req: Received, n: number) => Answer = () => 200,
): Promise<Receiver> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const waiters: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : null;
      } catch {
        json = null;
      }
      const r: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json,
      };
      received.push(r);
      for (const w of waiters.splice(0)) w();
      const a = answer(r, received.length);
      if (a === 'hang') return;
      const { status, body: text, headers, delayMs } = typeof a === 'number' ? { status: a } : a;
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'text/plain', ...headers });
        res.end(text ?? (status < 300 ? 'ok' : 'nope'));
      }, delayMs ?? 0);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get maxInFlight() {
      return maxInFlight;
    },
    async waitFor(count, withinMs = 10_000) {
      const end = Date.now() + withinMs;
      while (received.length < count) {
        const left = end - Date.now();
        if (left <= 0) {
          throw new Error(`receiver: ${received.length} of ${count} requests arrived`);
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return received;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
