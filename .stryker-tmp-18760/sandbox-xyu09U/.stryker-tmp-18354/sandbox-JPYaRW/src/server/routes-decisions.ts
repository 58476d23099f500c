// @ts-nocheck
// 
// The decision log routes (ours): `GET /v1/schedules/:id/decisions?since&until&limit&offset`,
// newest first as a page, and `GET /v1/schedules/:id/decisions/at?time=` for the planned
// fire nearest an instant with the sentence saying what became of it and why.
import type { FastifyInstance } from 'fastify';
import type {
  DecisionAtQueryInput,
  DecisionsApi,
  DecisionsQueryInput,
} from '../shared/decisions-api';

export interface DecisionRouteDeps {
  decisions?: DecisionsApi;
}

export function registerDecisionRoutes(
  app: FastifyInstance,
  { decisions }: DecisionRouteDeps,
): void {
  if (!decisions) return;
  app.get<{ Params: { id: string } }>('/v1/schedules/:id/decisions', async (req) => {
    const page = await decisions.decisions(req.params.id, req.query as DecisionsQueryInput);
    return { data: page.data, meta: page.meta };
  });
  app.get<{ Params: { id: string } }>('/v1/schedules/:id/decisions/at', async (req) => {
    const data = await decisions.decisionAt(req.params.id, req.query as DecisionAtQueryInput);
    return { data, meta: { request_id: req.id } };
  });
}
