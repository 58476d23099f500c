// @ts-nocheck
// 
// GET /v1/events: Server-Sent Events. Clients read it with fetch streaming so the token
// stays in a header. A comment line every 15 s keeps proxies and idle timeouts away.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventFeed } from '../shared/events';

export const SSE_KEEPALIVE_MS = 15_000;
/** A client that cannot keep up is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function streamEvents(feed: EventFeed, req: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  let seq = 0;
  const close = () => {
    unsubscribe();
    clearInterval(keepAlive);
  };
  const unsubscribe = feed.subscribe((event) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    res.write(`id: ${++seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
  keepAlive.unref();
  req.raw.on('close', close);
  res.on('close', close);
}
