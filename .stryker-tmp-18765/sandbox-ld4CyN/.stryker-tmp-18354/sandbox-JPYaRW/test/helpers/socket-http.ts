// @ts-nocheck
// 
// One HTTP request over a Unix socket (node:http with socketPath), as the CLI sends them.
import { request } from 'node:http';

export interface SocketResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
  body: string;
}

export function socketRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<SocketResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: {
          host: 'localhost',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json, body: text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
