// @ts-nocheck
// 
// The /v1 routes: each one hands the raw input to the SchedulesApi (which validates it with
// the shared schemas) and wraps the answer in the Cmdop envelope.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SchedulesApi } from '../shared/api';
import type { EventFeed } from '../shared/events';
import type { RemoteTestInput, SettingsApi, SettingsPatchInput } from '../shared/settings';
import type { ListResult } from '../shared/types';
import type {
  CommandRunInput,
  CommandsQueryInput,
  CommandStartInput,
  HistoryQueryInput,
  ListQueryInput,
  MachinesQueryInput,
  ScheduleCreateInput,
  SchedulePatchInput,
} from '../shared/schemas';
import { streamEvents } from './sse';

type IdParams = { Params: { id: string } };

function one<T>(req: FastifyRequest, data: T) {
  return { data, meta: { request_id: req.id } };
}

function many<T>(result: ListResult<T>) {
  return { data: result.data, meta: result.meta };
}

export interface RouteDeps {
  api: SchedulesApi;
  events?: EventFeed;
  settings?: SettingsApi;
}

export function registerRoutes(app: FastifyInstance, { api, events, settings }: RouteDeps): void {
  app.get('/v1/schedules', async (req) => many(await api.list(req.query as ListQueryInput)));

  app.post('/v1/schedules', async (req, reply) => {
    const schedule = await api.create(req.body as ScheduleCreateInput);
    return reply.code(201).send(one(req, schedule));
  });

  app.get<IdParams>('/v1/schedules/:id', async (req) => one(req, await api.get(req.params.id)));

  app.patch<IdParams>('/v1/schedules/:id', async (req) =>
    one(req, await api.update(req.params.id, req.body as SchedulePatchInput)),
  );

  app.delete<IdParams>('/v1/schedules/:id', async (req) =>
    one(req, await api.remove(req.params.id)),
  );

  app.post<IdParams>('/v1/schedules/:id/run', async (req) =>
    one(req, await api.runNow(req.params.id)),
  );

  app.get<IdParams>('/v1/schedules/:id/history', async (req) =>
    many(await api.history(req.params.id, req.query as HistoryQueryInput)),
  );

  app.get<IdParams>('/v1/commands/:id', async (req) =>
    one(req, await api.getCommand(req.params.id)),
  );

  app.delete<IdParams>('/v1/commands/:id', async (req) =>
    one(req, await api.cancelCommand(req.params.id)),
  );

  // Cmdop: an ad-hoc command, answered when it ends (200, as run-now answers); async answers
  // at once with where to read it.
  app.post('/v1/commands', async (req) =>
    one(req, await api.runCommand(req.body as CommandRunInput)),
  );

  app.post('/v1/commands/async', async (req, reply) => {
    const started = await api.startCommand(req.body as CommandStartInput);
    reply.header('Location', `/v1/commands/${encodeURIComponent(started.id)}`);
    return one(req, started);
  });

  app.get('/v1/machines', async (req) =>
    many(await api.listMachines(req.query as MachinesQueryInput)),
  );

  app.get<IdParams>('/v1/machines/:id', async (req) =>
    one(req, await api.getMachine(req.params.id)),
  );

  app.get<IdParams>('/v1/machines/:id/status', async (req) =>
    one(req, await api.getMachineStatus(req.params.id)),
  );

  app.get<IdParams>('/v1/machines/:id/commands', async (req) =>
    many(await api.listCommands(req.params.id, req.query as CommandsQueryInput)),
  );

  if (events) app.get('/v1/events', (req, reply) => streamEvents(events, req, reply));

  if (settings) {
    // ours: the app's settings, for the UI's settings page and for scripts.
    app.get('/v1/settings', async (req) => one(req, await settings.getSettings()));
    app.patch('/v1/settings', async (req) =>
      one(req, await settings.updateSettings(req.body as SettingsPatchInput)),
    );
    app.post('/v1/settings/token/rotate', async (req) => one(req, await settings.rotateToken()));
    app.post('/v1/settings/remote/test', async (req) =>
      one(req, await settings.testRemote(req.body as RemoteTestInput)),
    );
  }
}
