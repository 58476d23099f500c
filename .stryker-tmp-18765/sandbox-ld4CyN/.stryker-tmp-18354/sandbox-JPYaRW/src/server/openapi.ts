// @ts-nocheck
// 
// The OpenAPI 3.1 document of this API, generated from the route table (route-docs.ts) and
// the zod schemas the server validates with, so it cannot say something the server does not
// do. Served at GET /v1/openapi.json and committed as docs/openapi.json (`npm run docs:api`).
import { z } from 'zod';
import { notifyTestSchema } from '../shared/alerts-api';
import { batchSchema } from '../shared/batch';
import { cronFiresSchema, FIRES_DEFAULT, FIRES_MAX } from '../shared/fires-api';
import { restoreSchema } from '../shared/backups';
import { ERROR_STATUS, type ErrorCode } from '../shared/errors';
import {
  commandRunSchema,
  commandStartSchema,
  LIMIT_DEFAULT,
  LIMIT_MAX,
  scheduleCreateSchema,
  schedulePatchSchema,
} from '../shared/schemas';
import { remoteTestSchema, settingsPatchSchema } from '../shared/settings';
import * as wire from '../shared/wire-schemas';
import { MAX_PARAM_LENGTH } from './framework-errors';
import { describeProperties, fieldDoc } from './openapi-fields';
import { ROUTE_DOCS, type RouteDoc } from './route-docs';

type Json = Record<string, unknown>;

export const OPENAPI_VERSION = '3.1.1';

/** Answers (what the server sends: `output`), by component name. */
const RESPONSES: Record<string, z.ZodType> = {
  Schedule: wire.scheduleWire,
  Notify: wire.notifyWire,
  LastRun: wire.lastRunWire,
  ScheduleStats: wire.scheduleStatsWire,
  RunSummary: wire.runSummaryWire,
  Run: wire.runWire,
  Command: wire.commandWire,
  CommandStarted: wire.commandStartedWire,
  RunStarted: wire.runStartedWire,
  Machine: wire.machineWire,
  MachineStatus: wire.machineStatusWire,
  Identity: wire.identityWire,
  ListMeta: wire.listMetaWire,
  Meta: wire.oneMetaWire,
  Error: wire.errorWire,
  Deleted: wire.deletedWire,
  Cancelled: wire.cancelledWire,
  Settings: wire.appSettingsWire,
  RemoteTestResult: wire.remoteTestResultWire,
  Backup: wire.backupInfoWire,
  RestoreResult: wire.restoreResultWire,
  NotifyTestResult: wire.notifyTestResultWire,
  FireTime: wire.fireTimeWire,
  FiresMeta: wire.firesMetaWire,
  Decision: wire.decisionWire,
  LastDecision: wire.lastDecisionWire,
  DecisionAt: wire.decisionAtWire,
};

/** Requests (what a client sends: `input`, defaults applied by the server). */
const REQUESTS: Record<string, z.ZodType> = {
  ScheduleCreate: scheduleCreateSchema,
  SchedulePatch: schedulePatchSchema,
  ScheduleBatch: batchSchema,
  CommandRun: commandRunSchema,
  CommandStart: commandStartSchema,
  SettingsPatch: settingsPatchSchema,
  RemoteTest: remoteTestSchema,
  Restore: restoreSchema,
  NotifyTest: notifyTestSchema,
  CronFires: cronFiresSchema,
};

/**
 * Objects that may come from a remote Cmdop server through the proxy: it may send fields of
 * its own, so they are not closed to more properties.
 */
const OPEN_OBJECTS = new Set(['Schedule', 'Run', 'Command', 'Machine', 'MachineStatus']);

/** Query parameters whose zod input type is looser than what a client should send. */
const PARAM_SCHEMAS: Record<string, Json> = {
  limit: { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT },
  offset: { type: 'integer', minimum: 0, default: 0 },
  enabled: { type: 'boolean' },
  since: { type: 'string', format: 'date-time' },
  from: { type: 'string', format: 'date-time' },
  until: { type: 'string', format: 'date-time' },
  time: { type: 'string', format: 'date-time' },
  count: { type: 'integer', minimum: 1, maximum: FIRES_MAX, default: FIRES_DEFAULT },
};

/** Errors every authenticated route can answer. */
const COMMON_ERRORS: ErrorCode[] = ['unauthorized', 'forbidden', 'rate_limited', 'internal'];
/** Errors of any route that reads a JSON body. */
const BODY_ERRORS: ErrorCode[] = ['invalid_json', 'payload_too_large', 'unsupported_media_type'];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function components(
  schemas: Record<string, z.ZodType>,
  io: 'input' | 'output',
): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  for (const [name, schema] of Object.entries(out)) {
    // A fragment is not a valid $id in JSON Schema 2020-12; the component's place names it.
    delete schema.$id;
    delete schema.$schema;
    if (OPEN_OBJECTS.has(name)) delete schema.additionalProperties;
    describeProperties(name, schema);
  }
  return out;
}

function toPath(url: string): string {
  return url.replace(/^\/v1/, '').replace(/:(\w+)/g, '{$1}');
}

function operationId(method: string, url: string): string {
  const words = toPath(url)
    .split('/')
    .filter(Boolean)
    .map((w) => w.replace(/[{}]/g, '').replace(/\W+/g, '_'));
  return [method.toLowerCase(), ...words].join('_');
}

function queryParameters(route: RouteDoc): Json[] {
  if (!route.query) return [];
  const schema = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as Json;
  const props = (schema.properties ?? {}) as Record<string, Json>;
  return Object.keys(route.query.shape).map((name) => {
    const doc = fieldDoc('query', name);
    const { default: _default, ...fromZod } = props[name] ?? {};
    return {
      name,
      in: 'query',
      required: false,
      description: doc.description,
      'x-origin': doc.origin,
      schema: PARAM_SCHEMAS[name] ?? fromZod,
    };
  });
}

function errorResponses(route: RouteDoc): Json {
  const codes = new Set<ErrorCode>([
    ...route.errors,
    ...COMMON_ERRORS,
    ...(route.body ? BODY_ERRORS : []),
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Json = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: `\`${list.join('`, `')}\``,
      ...(status === 429
        ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } }
        : {}),
      content: { 'application/json': { schema: ref('Error') } },
    };
  }
  return out;
}

function successResponse(route: RouteDoc, url: string): Json {
  const headers: Json = {
    'X-Request-Id': { $ref: '#/components/headers/RequestId' },
    'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
    'X-RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
    'X-RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
  };
  if (url === '/v1/commands/async') {
    headers.Location = {
      description: 'Where to read the command: `/v1/commands/{id}`',
      schema: { type: 'string' },
    };
  }
  const { answer, example } = route;
  if ('stream' in answer) {
    return {
      description: 'An endless stream of events',
      headers,
      content: { [answer.stream]: { schema: { type: 'string' }, example: example.data } },
    };
  }
  if ('document' in answer) {
    return {
      description: 'The document itself (no envelope)',
      headers,
      content: { [answer.document]: { schema: { type: 'object' } } },
    };
  }
  const envelope = (description: string, data: Json, meta: Json, exampleMeta: unknown): Json => ({
    description,
    headers,
    content: {
      'application/json': {
        schema: { type: 'object', required: ['data', 'meta'], properties: { data, meta } },
        example: { data: example.data, meta: exampleMeta },
      },
    },
  });
  if ('items' in answer) {
    const items = { type: 'array', items: schemaRef(answer.items) };
    return envelope('The results', items, schemaRef(answer.meta), example.meta);
  }
  if ('list' in answer) {
    const page = { total: (example.data as unknown[]).length, limit: 20, offset: 0 };
    const items = { type: 'array', items: schemaRef(answer.list) };
    return envelope('A page of results', items, ref('ListMeta'), page);
  }
  return envelope('The result', schemaRef(answer.one), ref('Meta'), { request_id: 'req_abc123' });
}

function schemaRef(schema: z.ZodType): Json {
  const name = Object.entries(RESPONSES).find(([, s]) => s === schema)?.[0];
  if (!name) throw new Error('an answer schema must be named: add it to RESPONSES in openapi.ts');
  return ref(name);
}

function requestRef(schema: z.ZodType): Json {
  const name = Object.entries(REQUESTS).find(([, s]) => s === schema)?.[0];
  if (!name) throw new Error('a body schema must be named: add it to REQUESTS in openapi.ts');
  return ref(name);
}

function operation(key: string, route: RouteDoc): Json {
  const [method = 'GET', url = ''] = key.split(' ');
  const params: Json[] = Object.entries(route.params ?? {}).map(([name, description]) => ({
    name,
    in: 'path',
    required: true,
    description,
    schema: { type: 'string', maxLength: MAX_PARAM_LENGTH },
  }));
  const op: Json = {
    operationId: operationId(method, url),
    tags: [route.tag],
    summary: route.summary,
    description: `${route.origin === 'cmdop' ? '**Cmdop.**' : '**Ours** (an extension).'} ${route.description}`,
    'x-origin': route.origin,
    ...(route.example.query ? { 'x-example-query': route.example.query } : {}),
    parameters: [...params, ...queryParameters(route)],
    responses: {
      [String(route.status ?? 200)]: successResponse(route, url),
      ...errorResponses(route),
    },
  };
  if (route.body) {
    op.requestBody = {
      required: route.body !== restoreSchema,
      content: {
        'application/json': {
          schema: requestRef(route.body),
          ...(route.example.body !== undefined ? { example: route.example.body } : {}),
        },
      },
    };
  }
  return op;
}

/** The whole document. Pure: the same routes and schemas give the same bytes. */
export function buildOpenApi(routes: Record<string, RouteDoc> = ROUTE_DOCS): Json {
  const paths: Record<string, Json> = {};
  for (const [key, route] of Object.entries(routes)) {
    const [method = 'GET', url = ''] = key.split(' ');
    const path = toPath(url);
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation(key, route) };
  }
  const intHeader = (description: string) => ({ description, schema: { type: 'integer' } });
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Cmdop Scheduler API',
      version: 'v1',
      summary: 'The Cmdop Schedules, Commands and Machines API of one machine, plus our extensions',
      description:
        "Served on loopback by `cmdop-scheduler serve` and the tray app, and on the owner's Unix " +
        "socket. Operations and fields marked `x-origin: cmdop` follow Cmdop's public API; " +
        '`x-origin: ours` are additive extensions. See docs/api.md for the prose.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      { url: 'http://127.0.0.1:7878/v1', description: 'The local API (`serve`, default port)' },
    ],
    security: [{ bearer: [] }],
    tags: [
      { name: 'Schedules', description: 'Cron schedules of shell commands (Cmdop)' },
      { name: 'Commands', description: 'Ad-hoc commands and runs by command id (Cmdop)' },
      { name: 'Machines', description: "This machine and a Cmdop connection's machines (Cmdop)" },
      { name: 'Auth', description: 'The token (Cmdop)' },
      { name: 'Events', description: 'Live events (ours)' },
      { name: 'Settings', description: "The app's settings (ours)" },
      { name: 'Backups', description: 'Backups of the store (ours)' },
      { name: 'Meta', description: 'This document (ours)' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The local API token (`api-token` in the data directory, or CMDOP_SCHEDULER_TOKEN). ' +
            "Requests over the owner's Unix socket need none.",
        },
      },
      headers: {
        RequestId: { description: "This request's id, `req_…`", schema: { type: 'string' } },
        RateLimitLimit: intHeader('Requests allowed per minute per token (1000)'),
        RateLimitRemaining: intHeader('Requests left in this minute'),
        RateLimitReset: intHeader('When the minute ends, in Unix seconds'),
        RetryAfter: intHeader('Seconds until a request may be sent again'),
      },
      schemas: { ...components(RESPONSES, 'output'), ...components(REQUESTS, 'input') },
    },
  };
}

/** What the server knows about each route's query: its parameters' names. */
export function queryKeys(method: string, url: string): Set<string> | null {
  const route = ROUTE_DOCS[`${method} ${url}`];
  if (!route) return null;
  return new Set(route.query ? Object.keys(route.query.shape) : []);
}
