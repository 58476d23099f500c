// @ts-nocheck
// 
// Routes for moving in and out (ours): the batch create that import uses, and the store's
// backups. Same envelopes and admission as every other route.
import type { FastifyInstance } from 'fastify';
import type { BackupsApi, RestoreInput } from '../shared/backups';
import type { BatchApi, BatchInput } from '../shared/batch';

/** 1,000 schedules of a few hundred bytes each fit easily; 1 MiB would not. */
export const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

export interface BulkRouteDeps {
  batch?: BatchApi;
  backups?: BackupsApi;
}

export function registerBulkRoutes(app: FastifyInstance, { batch, backups }: BulkRouteDeps): void {
  if (batch) {
    app.post('/v1/schedules/batch', { bodyLimit: BATCH_BODY_LIMIT }, async (req, reply) => {
      const data = await batch.createBatch(req.body as BatchInput);
      // A list's meta, as every list answers (the whole batch is one page).
      const meta = { total: data.length, limit: data.length, offset: 0, request_id: req.id };
      return reply.code(201).send({ data, meta });
    });
  }
  if (backups) {
    app.get('/v1/backups', async () => {
      const data = await backups.listBackups();
      return { data, meta: { total: data.length, limit: data.length, offset: 0 } };
    });
    app.post('/v1/backups', async (req, reply) => {
      const data = await backups.createBackup();
      return reply.code(201).send({ data, meta: { request_id: req.id } });
    });
    app.post<{ Params: { id: string } }>('/v1/backups/:id/restore', async (req) => {
      const data = await backups.restoreBackup(req.params.id, (req.body ?? {}) as RestoreInput);
      return { data, meta: { request_id: req.id } };
    });
  }
}
