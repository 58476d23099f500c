// @ts-nocheck
// 
// POST /v1/schedules/:id/notify/test (ours): "Send test" — one sample to each alert channel
// of a schedule, answered with how each went. A channel that fails is still a 200: the
// request worked, and the answer says what the receiver did.
import type { FastifyInstance } from 'fastify';
import type { AlertsApi, NotifyTestInput } from '../shared/alerts-api';

export interface AlertRouteDeps {
  alerts?: AlertsApi;
}

export function registerAlertRoutes(app: FastifyInstance, { alerts }: AlertRouteDeps): void {
  if (!alerts) return;
  app.post<{ Params: { id: string } }>('/v1/schedules/:id/notify/test', async (req) => {
    const data = await alerts.testNotify(req.params.id, (req.body ?? {}) as NotifyTestInput);
    return { data, meta: { request_id: req.id } };
  });
}
