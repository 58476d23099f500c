// @ts-nocheck
// 
// A query parameter the route does not know is ignored, not refused: Cmdop clients send
// filters of their own and browsers cache-busters (`_=123`). So that a typo (`limt=5`) is not
// silently lost, the answer's `meta.warnings` names each one and what the route takes.
import type { FastifyRequest } from 'fastify';
import { queryKeys } from './openapi';

export function unknownQueryWarnings(req: FastifyRequest, payload: unknown): unknown {
  const query = req.query as Record<string, unknown> | undefined;
  if (!query || typeof payload !== 'object' || payload === null) return payload;
  const meta = (payload as { meta?: unknown }).meta;
  if (typeof meta !== 'object' || meta === null) return payload;
  const known = queryKeys(req.routeOptions.method as string, req.routeOptions.url ?? '');
  if (!known) return payload;
  const unknown = Object.keys(query).filter((k) => !known.has(k));
  if (unknown.length === 0) return payload;
  const takes =
    known.size > 0 ? `this route takes ${[...known].join(', ')}` : 'this route takes none';
  const warnings = unknown.map(
    (k) => `unknown query parameter '${k.slice(0, 50)}' was ignored (${takes})`,
  );
  const m = meta as { warnings?: string[] };
  return { ...payload, meta: { ...m, warnings: [...(m.warnings ?? []), ...warnings] } };
}
