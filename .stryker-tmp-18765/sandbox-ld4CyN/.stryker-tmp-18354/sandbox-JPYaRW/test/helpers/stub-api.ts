// @ts-nocheck
// 
// A scriptable HTTP server on loopback standing in for a misbehaving Cmdop API (rate
// limits, garbage), which a real headless server cannot be made to be.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface StubApi {
  url: string;
  requests: { method: string; path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export async function startStubApi(
  answer: (req: IncomingMessage, count: number) => StubAnswer,
): Promise<StubApi> {
  const requests: StubApi['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => {
      const a = answer(req, requests.length);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
