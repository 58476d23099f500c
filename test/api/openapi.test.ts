// The API reference ships with the code: the OpenAPI 3.1 document is generated from the route
// table and the zod schemas, passes a maintained validator, lists every registered route,
// describes every field, and is committed as docs/openapi.json (with docs/api.md rendered
// from it). `npm run docs:api` rewrites both; here a stale copy fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/server/openapi';
import { renderApiMarkdown } from '../../src/server/openapi-markdown';
import { ROUTE_DOCS } from '../../src/server/route-docs';
import { removeDir, startTestServer, type TestServer } from '../helpers/server';
import { openApiChecker } from '../helpers/openapi';

const ROOT = join(import.meta.dirname, '../..');
const DOC_PATH = join(ROOT, 'docs/openapi.json');
const MD_PATH = join(ROOT, 'docs/api.md');
const UPDATE = process.env.UPDATE_API_DOCS === '1';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer();
});

afterAll(async () => {
  await srv.stop();
  removeDir(srv.dataDir);
});

type Json = Record<string, any>;

/** Every property of every schema (nested objects too), as Component.path. */
function properties(schema: Json, at: string, out: [string, Json][] = []): [string, Json][] {
  for (const branch of [schema, ...(schema.anyOf ?? []), schema.items ?? {}]) {
    for (const [name, prop] of Object.entries((branch.properties ?? {}) as Record<string, Json>)) {
      out.push([`${at}.${name}`, prop]);
      properties(prop, `${at}.${name}`, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  const doc = buildOpenApi() as Json;

  it('is a valid OpenAPI 3.1 document (@readme/openapi-parser)', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, JSON.stringify(result, null, 2)).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('covers every registered route, and nothing that is not registered', () => {
    const registered = srv.headless.server.routes
      .filter((r) => !r.public && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    const documented = Object.entries(doc.paths as Json)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} /v1${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    expect(documented).toEqual(registered);
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual(registered);
  });

  it('describes every field and parameter, and says whose it is (Cmdop or ours)', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas as Json)) {
      for (const [path, prop] of properties(schema, name)) {
        if (!prop.description || !['cmdop', 'ours'].includes(prop['x-origin'])) missing.push(path);
      }
    }
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(ops as Json)) {
        for (const p of op.parameters as Json[]) {
          if (!p.description) missing.push(`${method} ${path} ?${p.name}`);
        }
        if (!['cmdop', 'ours'].includes(op['x-origin'])) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every route's example answer conforms to its own schema", () => {
    const check = openApiChecker(doc);
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(ops as Json)) {
        for (const [status, response] of Object.entries(op.responses as Json)) {
          const example = response.content?.['application/json']?.example;
          if (example === undefined) continue;
          const concrete = `/v1${path.replace(/\{\w+\}/g, 'x')}`;
          problems.push(...check.problems(method, concrete, Number(status), example));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('is served at GET /v1/openapi.json (with the token), the same as generated', async () => {
    const res = await srv.call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.json).toEqual(doc);
    expect((await srv.call('GET', '/v1/openapi.json', undefined, { auth: false })).status).toBe(
      401,
    );
  });

  it('is committed as docs/openapi.json and rendered as docs/api.md, both up to date', () => {
    const json = `${JSON.stringify(doc, null, 2)}\n`;
    const markdown = renderApiMarkdown(doc);
    if (UPDATE) {
      writeFileSync(DOC_PATH, json);
      writeFileSync(MD_PATH, markdown);
    }
    const stale = 'is stale: run `npm run docs:api` and commit the result';
    expect(readFileSync(DOC_PATH, 'utf8') === json, `docs/openapi.json ${stale}`).toBe(true);
    expect(readFileSync(MD_PATH, 'utf8') === markdown, `docs/api.md ${stale}`).toBe(true);
  });
});
