// Property-based fuzzing of every route's body and query (fast-check): whatever a client
// sends, the answer is never a 5xx, every error is in the envelope, a validation error names
// the fields it refuses (prototype-named ones included), and a rejected request leaves the
// files on disk byte for byte as they were.
//
// `npm test` runs a bounded count with a fixed seed; `npm run fuzz` runs a long one with a
// random seed (FUZZ_RUNS, FUZZ_SEED), printing the seed so a failure can be replayed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/shared/errors';
import type { RouteInfo } from '../../src/server/app';
import { REMOTE_TOKEN_FILE } from '../../src/core/host';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';
import { buildRequest, isEnvelope, rawRequest, type RawResponse } from '../helpers/raw-http';

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
// A long run (FUZZ_RUNS set) explores a new corner each time unless a seed is given.
const SEED = Number(
  process.env.FUZZ_SEED ?? (process.env.FUZZ_RUNS ? Math.floor(Math.random() * 2 ** 31) : 20261130),
);

let srv: TestServer;
let port: number;
let scheduleId: string;
let commandId: string;

beforeAll(async () => {
  srv = await startTestServer({
    remoteTimeoutMs: 300,
    rateLimitPerMinute: Math.max(1000, RUNS * 20),
  });
  port = srv.headless.server.port;
  const created = await srv.call('POST', '/v1/schedules', {
    name: 'seed',
    machine_id: 'local',
    command: 'true',
    cron: '0 0 1 1 *',
  });
  scheduleId = created.json.data.id;
  const run = await srv.call('POST', `/v1/schedules/${scheduleId}/run`);
  commandId = run.json.data.command_id;
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

// --- what a hostile or careless client sends ---------------------------------------------

const PROTO_KEYS = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'];

const nastyString = fc.constantFrom(
  '',
  ' ',
  '\0',
  'a\0b',
  '\uD800',
  'x\uDC00y',
  ...PROTO_KEYS,
  'x'.repeat(201),
  'x'.repeat(70_000),
  '../../etc/passwd',
  '%ff',
  'null',
  '0',
  '-1',
  '1e3',
  '日本語',
  '😀',
  '<script>',
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), nastyString), fc.string({ maxLength: 4 }), {
    maxKeys: 3,
  }),
);

const either = <T>(...good: T[]) => fc.oneof(fc.constantFrom(...good), anyValue);

const SCHEDULE_FIELDS = {
  name: either('backup', ' Nightly ', 'n'.repeat(200)),
  description: either('', 'd'.repeat(2000), 'd'.repeat(2001)),
  machine_id: either('local', 'mach_unknown'),
  command: either('true', 'echo fuzz'),
  cron: either('0 3 * * *', '*/5 * * * * *', '@daily', '99 99 * * *', '*/61 * * * *', '@reboot'),
  enabled: either(true, false),
  timezone: either('UTC', 'utc', 'america/new_york', 'Mars/Base', '+05:00'),
  timeout: either(null, 1000, 999, 604_800_001, 5000.5),
  notify: fc.oneof(
    fc.record(
      {
        on_success: either(true),
        on_failure: either(false),
        // Only receivers that answer at once (a closed loopback port) or URLs refused anyway:
        // a test delivery must not wait on the network, nor reach outside this machine.
        webhook_url: either(
          null,
          'https://127.0.0.1:1/hook?token=x',
          'http://[::1]:1/h',
          'ftp://127.0.0.1/x',
          'not a url',
          `https://127.0.0.1:1/${'p'.repeat(2050)}`,
        ),
        webhook_format: either('json', 'slack', 'discord', 'teams'),
        ping_url: either(
          null,
          'http://localhost:1/ping/uuid',
          'https://127.0.0.1:1/p',
          'mailto:x@y',
        ),
        allow_http: either(true, false),
      },
      { requiredKeys: [] },
    ),
    anyValue,
  ),
  cwd: either(null, '/', '/tmp', 'relative', `/${'p'.repeat(5000)}`),
  env: fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom('A', 'PATH', '1X', 'A B'), nastyString), anyValue, {
      maxKeys: 3,
    }),
    anyValue,
  ),
  overlap: either('skip', 'allow'),
  catch_up: either(true, false),
  retries: either(0, 3, 10, 11, -1, 2.5),
  retry_delay: either(60_000, 1000, 999, 3_600_001),
  retry_backoff: either(1, 2, 1.5, 0.5, 11),
  random_delay: either(0, 3_600_000, 3_600_001, -5),
  shell: either('login', 'plain', 'bash'),
  env_file: either(null, '/tmp/x.env', 'relative.env', `/${'e'.repeat(5000)}`),
  paused_until: either(
    null,
    '2026-06-01T09:00:00Z',
    '2000-01-01T00:00:00Z',
    'tomorrow',
    '2026-02-30',
  ),
  run_on_battery: either(true, false),
  id: either('sched_x'),
  next_run: either(null),
  next_retry_at: either(null),
};

/** POST /v1/commands and /async: safe commands only (the fuzz really runs what is accepted). */
const COMMAND_FIELDS = {
  machine_id: either('local', 'mach_unknown', ' local '),
  command: either('true', 'echo fuzz', 'exit 3'),
  cwd: either('/', '/tmp', 'relative', '/nonexistent-dir'),
  env: fc.oneof(
    fc.dictionary(fc.constantFrom('A', '1X', 'A B'), anyValue, { maxKeys: 2 }),
    anyValue,
  ),
  timeout: either(1000, 999, 3_600_001, null, 2000.5),
  user: either('root', 'nobody', ''),
};

/** Settings, except a Cmdop token: a valid one would make the server call the real cloud. */
const SETTINGS_FIELDS = {
  notifications: fc.oneof(fc.record({ muted: either(true) }, { requiredKeys: [] }), anyValue),
  history: fc.oneof(
    fc.record({ max_runs: either(5, 0), max_age_days: either(30, 4000) }, { requiredKeys: [] }),
    anyValue,
  ),
  paused: either(false, true),
  paused_until: either(null, '2099-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'soon'),
  start_at_login: either(true),
  local_api: fc.oneof(
    fc.record({ enabled: either(false), port: either(8080, 80) }, { requiredKeys: [] }),
    anyValue,
  ),
  remote: fc.oneof(
    fc.record(
      {
        url: either(null, 'http://example.com', 'https://127.0.0.1:1/v1'),
        token: fc.constantFrom(null, '', '  ', 0),
      },
      { requiredKeys: [] },
    ),
    anyValue,
  ),
  url: either('https://127.0.0.1:1/v1'),
  token: fc.constantFrom('', ' ', 0, null),
};

/** POST /v1/cron/fires: an expression, a zone, where to start, how many (1..1000). */
const CRON_FIRES_FIELDS = {
  cron: SCHEDULE_FIELDS.cron,
  timezone: SCHEDULE_FIELDS.timezone,
  from: either(
    '2026-03-07T12:00:00Z',
    '1970-01-01T00:00:00Z',
    '9899-12-31T23:59:59Z',
    '9999-12-31T23:59:59Z',
    '1969-12-31T23:59:59Z',
    '2026-02-30T00:00:00Z',
    'now',
  ),
  count: either<unknown>(1, 10, 1000, 1001, 0, -1, 2.5, '5', '1e3'),
  random_delay: SCHEDULE_FIELDS.random_delay,
  schedule_id: either('sched_abc123', 'sched_', 'x'),
};

const extraKeys = fc.dictionary(
  fc.oneof(fc.constantFrom(...PROTO_KEYS, 'retry', 'id'), fc.string({ maxLength: 6 })),
  anyValue,
  {
    maxKeys: 2,
  },
);

const objectBody = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .tuple(fc.record(fields, { requiredKeys: [] }), extraKeys)
    .map(([known, extra]) => Object.assign(Object.create(null), extra, known) as object);

interface Sent {
  body?: string;
  json?: unknown;
  contentType?: string;
}

const body: fc.Arbitrary<Sent> = fc.oneof(
  { weight: 4, arbitrary: objectBody(SCHEDULE_FIELDS).map((json) => ({ json })) },
  { weight: 2, arbitrary: objectBody(SETTINGS_FIELDS).map((json) => ({ json })) },
  { weight: 2, arbitrary: objectBody(COMMAND_FIELDS).map((json) => ({ json })) },
  {
    // POST /v1/schedules/batch: items of fuzzed schedules (and junk beside or instead of them).
    weight: 2,
    arbitrary: objectBody({
      items: fc.oneof(fc.array(objectBody(SCHEDULE_FIELDS), { maxLength: 3 }), anyValue),
    }).map((json) => ({ json })),
  },
  {
    // POST /v1/schedules/:id/notify/test: an alert setup to try (and junk beside it).
    weight: 1,
    arbitrary: objectBody({ notify: SCHEDULE_FIELDS.notify }).map((json) => ({ json })),
  },
  { weight: 2, arbitrary: objectBody(CRON_FIRES_FIELDS).map((json) => ({ json })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((json) => ({ json })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.constantFrom('{', '{"a":', '[1,', '{"__proto__":{}}', '\u0000'),
        ),
        fc.constantFrom(
          undefined,
          'application/json',
          'text/plain',
          'application/json; charset=utf-16',
          'multipart/form-data',
        ),
      )
      .map(([raw, contentType]) => ({ body: raw, contentType })),
  },
  { weight: 1, arbitrary: fc.constant<Sent>({}) },
);

const query = fc.oneof(
  fc
    .dictionary(
      fc.oneof(
        fc.constantFrom(
          'limit',
          'offset',
          'enabled',
          'machine_id',
          'since',
          'status',
          'search',
          'tags',
          'from',
          'count',
          '_',
          ...PROTO_KEYS,
        ),
        fc.string({ maxLength: 6 }),
      ),
      fc.oneof(
        fc.constantFrom(
          '1',
          '100',
          '101',
          '-1',
          '0',
          'true',
          'nope',
          '2026-01-01T00:00:00Z',
          'failure',
          'local',
          '1000',
          '1001',
          '2026-03-08T06:59:59Z',
          '9899-12-31T23:59:59Z',
          'online',
          'failed',
          'completed',
          'a,b',
          '1000',
          '1001',
          '2026-03-08T06:59:59Z',
          '9899-12-31T23:59:59Z',
        ),
        fc.string({ maxLength: 8 }),
      ),
      { maxKeys: 4 },
    )
    .map((q) => new URLSearchParams(Object.entries(q)).toString()),
  fc.constantFrom(
    'limit=1&limit=2',
    'limit[]=1',
    '%ff=1',
    'limit=%ff',
    'offset=1e2',
    'since=',
    'count=1000&from=1970-01-01T00:00:00Z',
    'count=1001',
    'count=1&count=2',
    'from=9899-12-31T23:59:59Z',
  ),
);

function fuzzedRoutes(): RouteInfo[] {
  // The event stream never ends, so it cannot be awaited like a request; hostile.test.ts and
  // the SSE tests cover it.
  return srv.headless.server.routes.filter((r) => !r.public && r.url !== '/v1/events');
}

const idFor = fc.oneof(
  fc.constantFrom('known', 'known', 'sched_unknown0000', 'local', 'cmd_unknown', ''),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);

const request = fc.record({
  routeIndex: fc.nat(),
  id: idFor,
  query,
  body,
});

// --- the properties ------------------------------------------------------------------------

function snapshot(): string {
  const read = (name: string) => {
    try {
      return readFileSync(join(srv.dataDir, name)).toString('base64');
    } catch {
      return '(none)';
    }
  };
  return ['config.json', 'config.journal', 'api-token', REMOTE_TOKEN_FILE].map(read).join('|');
}

function concrete(route: RouteInfo, id: string): string {
  const known = route.url.startsWith('/v1/commands')
    ? commandId
    : route.url.startsWith('/v1/machines')
      ? 'local'
      : scheduleId;
  return route.url.replace(':id', id === 'known' ? known : id);
}

interface FuzzRequest {
  id: string;
  query: string;
  body: Sent;
}

async function send(route: RouteInfo, r: FuzzRequest): Promise<{ res: RawResponse; sent: Sent }> {
  const path = `${concrete(route, r.id)}${r.query ? `?${r.query}` : ''}`;
  const sent = r.body;
  const payload = sent.json !== undefined ? JSON.stringify(sent.json) : sent.body;
  const headers: Record<string, string> = {
    authorization: `Bearer ${srv.headless.host.token.token}`,
  };
  const contentType = sent.json !== undefined ? 'application/json' : sent.contentType;
  if (contentType && payload !== undefined) headers['content-type'] = contentType;
  const res = await rawRequest(
    port,
    buildRequest(port, path, { method: route.method, headers, body: payload }),
  );
  return { res, sent };
}

const WRITABLE_SCHEDULE = [
  ...['name', 'description', 'machine_id', 'command', 'cron', 'enabled', 'timezone'],
  ...['timeout', 'notify', 'cwd', 'env', 'overlap', 'catch_up'],
  ...['retries', 'retry_delay', 'retry_backoff', 'random_delay', 'shell', 'env_file'],
  ...['paused_until', 'run_on_battery'],
];
/** Per strict body, the keys it knows: any other top-level key must be named in the error. */
const STRICT_BODIES: Record<string, Set<string>> = {
  'POST /v1/schedules': new Set(WRITABLE_SCHEDULE),
  'PATCH /v1/schedules/:id': new Set(WRITABLE_SCHEDULE),
  'POST /v1/schedules/batch': new Set(['items']),
  'POST /v1/commands': new Set(Object.keys(COMMAND_FIELDS)),
  'POST /v1/commands/async': new Set(Object.keys(COMMAND_FIELDS)),
  'POST /v1/schedules/:id/notify/test': new Set(['notify']),
  'POST /v1/backups/:id/restore': new Set(),
  'POST /v1/cron/fires': new Set(Object.keys(CRON_FIRES_FIELDS)),
  'PATCH /v1/settings': new Set([
    ...['notifications', 'history', 'paused', 'paused_until', 'start_at_login', 'local_api'],
    'remote',
  ]),
};

describe('fuzzing every route (fast-check)', () => {
  it(`${RUNS} requests: no 5xx, errors in the envelope, rejected requests change nothing`, async () => {
    const routes = fuzzedRoutes();
    expect(routes.length).toBeGreaterThan(15);
    const seen = new Map<number, number>();
    if (process.env.FUZZ_RUNS)
      console.log(`fuzz: ${RUNS} runs, seed ${SEED} (FUZZ_SEED=${SEED} replays)`);
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const route = routes[r.routeIndex % routes.length] as RouteInfo;
        const before = snapshot();
        const { res, sent } = await send(route, r);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const where = `${route.method} ${route.url} -> ${res.status} ${res.body.slice(0, 300)}`;
        expect(res.status, where).toBeGreaterThanOrEqual(200);
        expect(res.status, where).toBeLessThan(500);
        if (res.status < 400) return;
        if (route.method !== 'HEAD') {
          expect(isEnvelope(res.json), where).toBe(true);
          expect(Object.keys(ERROR_STATUS), where).toContain(res.json.error.code);
        }
        expect(snapshot(), `a rejected request changed files: ${where}`).toBe(before);
        if (res.json?.error?.code === 'validation_error') {
          const fields = res.json.error.details.fields ?? {};
          expect(Object.keys(fields).length, where).toBeGreaterThan(0);
          const known = STRICT_BODIES[`${route.method} ${route.url}`];
          const json = sent.json;
          if (known && typeof json === 'object' && json !== null && !Array.isArray(json)) {
            for (const key of Object.keys(json)) {
              if (!known.has(key))
                expect(Object.hasOwn(fields, key), `${key}: ${where}`).toBe(true);
            }
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: !process.env.FUZZ_RUNS },
    );
    // The fuzz must reach the handlers, not only bounce off validation.
    const statuses = [...seen.keys()];
    expect(statuses.some((s) => s >= 200 && s < 300)).toBe(true);
    expect(statuses).toContain(400);
    expect(statuses).toContain(404);
  });

  it('logged no internal errors', () => {
    expect(srv.log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
