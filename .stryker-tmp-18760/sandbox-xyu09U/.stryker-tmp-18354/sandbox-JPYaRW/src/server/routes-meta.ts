// @ts-nocheck
// 
// Routes about the API itself: who the token is (Cmdop's `auth/me`, which SDKs call to check
// a token) and the OpenAPI document. HTTP-only on purpose: they describe the HTTP API and
// its token, which IPC (the app's own window) has no use for.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { localIdentity } from '../shared/identity';
import { buildOpenApi } from './openapi';

export interface MetaRouteDeps {
  /** Whether this request came over the owner's socket (no token) rather than TCP. */
  viaSocket(req: FastifyRequest): boolean;
}

export function registerMetaRoutes(app: FastifyInstance, { viaSocket }: MetaRouteDeps): void {
  app.get('/v1/auth/me', async (req) => ({
    data: localIdentity(viaSocket(req) ? 'socket' : 'token'),
    meta: { request_id: req.id },
  }));

  // Built once: it depends only on the code.
  let document: string | null = null;
  app.get('/v1/openapi.json', async (_req, reply) => {
    document ??= JSON.stringify(buildOpenApi(), null, 2);
    return reply.type('application/json; charset=utf-8').send(document);
  });
}
