// @ts-nocheck
// 
// The fire preview routes (ours): `GET /v1/schedules/:id/fires?from&count` for a saved
// schedule and `POST /v1/cron/fires` for an expression being written. Same envelopes and
// admission as every other route; the fires and their meta come from the engine's planning.
import type { FastifyInstance } from 'fastify';
import type { CronFiresInput, FiresApi, FiresQueryInput } from '../shared/fires-api';

export interface FireRouteDeps {
  fires?: FiresApi;
}

export function registerFireRoutes(app: FastifyInstance, { fires }: FireRouteDeps): void {
  if (!fires) return;
  app.get<{ Params: { id: string } }>('/v1/schedules/:id/fires', async (req) => {
    const result = await fires.scheduleFires(req.params.id, req.query as FiresQueryInput);
    return { data: result.data, meta: { ...result.meta, request_id: req.id } };
  });
  app.post('/v1/cron/fires', async (req) => {
    const result = await fires.cronFires(req.body as CronFiresInput);
    return { data: result.data, meta: { ...result.meta, request_id: req.id } };
  });
}
