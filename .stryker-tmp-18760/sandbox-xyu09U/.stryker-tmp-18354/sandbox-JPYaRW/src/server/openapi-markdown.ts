// @ts-nocheck
// 
// docs/api.md, rendered from the OpenAPI document: every route with its parameters, body,
// answer, errors and an example, every object with its fields, and the conventions in prose.
// Generated (`npm run docs:api`), so the reference a reader finds in the repository is the
// one the server answers by.
import { ERROR_STATUS, type ErrorCode } from '../shared/errors';

// The document is plain JSON read field by field; typing every OpenAPI node buys nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const ERROR_MEANINGS: Record<ErrorCode, string> = {
  validation_error: 'a field or parameter breaks a rule; `details.fields` names each one',
  invalid_json: 'the body is not JSON (or is empty)',
  bad_request: 'the request cannot be read: bad percent-encoding, a malformed request line',
  unauthorized: "no token, or not this server's token",
  forbidden: "a Host that is not this server's loopback name, or a cross-site Origin",
  not_found: 'no such route, schedule, command, machine or backup',
  conflict:
    'the state forbids it: a run in progress under overlap `skip`, too many ad-hoc commands…',
  not_running: 'cancel of a command that already ended',
  payload_too_large: 'a body over 1 MiB (8 MiB for the batch)',
  uri_too_long: 'a path segment over 100 characters',
  unsupported_media_type: 'a body that is not `application/json`',
  rate_limited:
    'over 1000 requests a minute; `Retry-After` and `error.retry_after` say when to retry',
  headers_too_large: 'request line and headers over 16 KiB',
  internal: 'a bug of ours (logged)',
  upstream_unavailable: 'the Cmdop connection could not be reached; the message names the host',
  insufficient_storage:
    'the data directory cannot be written (full disk, read-only); nothing changed',
};

const INTRO = `# Cmdop Scheduler API reference

> Generated from the code by \`npm run docs:api\`, from the same route table and schemas as
> [\`openapi.json\`](openapi.json) (OpenAPI 3.1, also served at \`GET /v1/openapi.json\`). A test
> fails when either is stale. Do not edit by hand: change \`src/server/route-docs.ts\`,
> \`src/server/openapi-fields.ts\` or the schemas.

The app speaks Cmdop's public API (Schedules, Commands, Machines, \`auth/me\`): a client written
against Cmdop's docs works against it unchanged. Everything marked **Cmdop** follows Cmdop's
docs in names, shapes and status codes; everything marked **ours** is an additive extension that
never changes a Cmdop shape. The same operations reach the Electron window over IPC, the
terminal client over the owner's socket, and a Cmdop connection's machines through the proxy.

The examples assume:

\`\`\`sh
export T=$(cat "$HOME/.config/Cmdop Scheduler/api-token")   # or the token serve printed
export API=http://127.0.0.1:7878/v1
\`\`\`

## Conventions

- **Base URL** \`http://127.0.0.1:7878/v1\` (\`serve\`'s default port; the tray app's local API
  when turned on). JSON in, JSON out.
- **Auth** (Cmdop): \`Authorization: Bearer <token>\` on every route; the token is in
  \`api-token\` in the data directory (or \`CMDOP_SCHEDULER_TOKEN\`). Without it: 401. Requests over
  the owner's Unix socket (\`<data-dir>/api.sock\`) need no token. Only the UI's files are served
  without one; \`openapi.json\` too needs the token.
- **Envelope** (Cmdop): \`{"data": …, "meta": {…}}\`. One object: \`meta.request_id\`; a list:
  \`meta: {total, limit, offset}\`. Every answer has an \`X-Request-Id\` header (ours: also
  \`Cache-Control: no-store\`, \`X-Content-Type-Options: nosniff\`).
- **Errors** (Cmdop): \`{"error": {"code", "message", "details"}}\`; a validation error names every
  bad field in \`details.fields\`. Codes below.
- **Rate limit** (Cmdop): 1000 requests per minute per token, announced in \`X-RateLimit-Limit\`,
  \`X-RateLimit-Remaining\`, \`X-RateLimit-Reset\` (Unix seconds); over it, 429 with \`Retry-After\`
  and \`error.retry_after\` (seconds).
- **Pagination** (Cmdop): \`limit\` (default 20, 1..100) and \`offset\` (default 0); out of range:
  400 naming the allowed range.
- **Unknown query parameters** are ignored — Cmdop's own filters, cache-busters such as \`_=123\` —
  and each is named in \`meta.warnings\` with what the route takes, so a typo is not silent. A
  known parameter with a bad value is a 400.
- **Unknown body fields** are refused (400), each named; read-only fields are named as such.
- **Timestamps** UTC \`YYYY-MM-DDTHH:mm:ssZ\`; durations and timeouts are integer milliseconds.
- **Ids** \`sched_…\`, \`run_…\`, \`cmd_…\`, \`mach_…\`, \`req_…\`. \`local\` stands for this machine's id
  wherever a \`machine_id\` is taken. An unknown machine is 404 \`not_found\` (as Cmdop's
  "Machine not found"), naming the machines there are.
- **Commands and runs.** Every run of a schedule is a command: run-now gives its \`cmd_…\` id, and
  \`GET /v1/commands/:id\` answers Cmdop's command object (\`status\` \`running\` → \`completed\` |
  \`failed\` | \`cancelled\`) with the run's own \`run_id\` and precise \`run_status\` (\`success\`,
  \`failure\`, \`timeout\`, \`interrupted\`, \`skipped\`…) beside it. Ad-hoc commands
  (\`POST /v1/commands\`) run the same way and are recorded under \`schedule_id\` \`"adhoc"\`.
- **Output capture**: each stream keeps its first and last 128 KiB, with a marker line saying
  how many bytes were dropped between.
- **Remote machines**: with a Cmdop connection, other machines' schedules, commands and status
  go to that API and come back as it sent them; if it cannot be reached, 502
  \`upstream_unavailable\` naming the host, and lists carry \`meta.warnings\`.

### Error codes

| status | code | when |
| --- | --- | --- |
${(Object.entries(ERROR_STATUS) as [ErrorCode, number][])
  .map(([code, status]) => `| ${status} | \`${code}\` | ${ERROR_MEANINGS[code]} |`)
  .join('\n')}
`;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function refName(schema: Json): string | null {
  const ref = schema.$ref as string | undefined;
  return ref ? (ref.split('/').pop() ?? null) : null;
}

/** A JSON schema as a short type: `string`, `integer or null`, `Schedule`, `array of Run`… */
export function typeOf(schema: Json): string {
  const name = refName(schema);
  if (name) return `[${name}](#${name.toLowerCase()})`;
  if (schema.anyOf) return (schema.anyOf as Json[]).map(typeOf).join(' or ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return (schema.enum as unknown[]).map((v) => `\`${String(v)}\``).join(', ');
  const type = schema.type as string | string[] | undefined;
  if (type === 'array') return `array of ${typeOf((schema.items ?? {}) as Json)}`;
  if (type === 'object' && schema.additionalProperties && !schema.properties) {
    return `object of ${typeOf(schema.additionalProperties as Json)}`;
  }
  if (Array.isArray(type)) return type.join(' or ');
  return type ?? 'any';
}

function rules(schema: Json): string {
  const out: string[] = [];
  const all = [schema, ...((schema.anyOf as Json[] | undefined) ?? [])];
  // z.number().int() bounds itself to safe integers: no rule a reader needs to see.
  const bound = (n: unknown) =>
    typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
  for (const raw of all) {
    const s: Json = { ...raw, minimum: bound(raw.minimum), maximum: bound(raw.maximum) };
    if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
    if (s.minimum !== undefined && s.maximum !== undefined) out.push(`${s.minimum}..${s.maximum}`);
    else if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
    else if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
    if (s.minItems !== undefined || s.maxItems !== undefined) {
      out.push(`${s.minItems ?? 0}..${s.maxItems ?? '∞'} items`);
    }
    if (s.format) out.push(s.format as string);
  }
  return out.join('; ');
}

function fieldRows(schema: Json, prefix = '', required = new Set<string>()): string[] {
  const rows: string[] = [];
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const req = new Set<string>((schema.required as string[] | undefined) ?? [...required]);
  for (const [name, prop] of Object.entries(props)) {
    const path = `${prefix}${name}`;
    const def = prop.default !== undefined ? `\`${JSON.stringify(prop.default)}\`` : '';
    const must = req.has(name) ? 'yes' : '';
    rows.push(
      `| \`${path}\` | ${cell(typeOf(prop))} | ${must} | ${cell(def)} | ${cell(rules(prop))} | ${cell((prop.description as string | undefined) ?? '')} |`,
    );
    const nested = [prop, ...((prop.anyOf as Json[] | undefined) ?? [])].find((b) => b.properties);
    if (nested) rows.push(...fieldRows(nested, `${path}.`));
    const items = prop.items as Json | undefined;
    if (items?.properties) rows.push(...fieldRows(items, `${path}[].`));
  }
  return rows;
}

const FIELD_HEAD =
  '| field | type | required | default | rules | description |\n| --- | --- | --- | --- | --- | --- |';

function exampleCurl(method: string, path: string, query: string | undefined, body: unknown) {
  const url = `$API${path.replace(/\{id\}/g, 'ID')}${query ? `?${query}` : ''}`;
  const parts = [
    `curl -s${method === 'GET' ? '' : ` -X ${method}`} "${url}" -H "Authorization: Bearer $T"`,
  ];
  if (body !== undefined) {
    parts.push(`-H "Content-Type: application/json" -d '${JSON.stringify(body)}'`);
  }
  return parts.join(' \\\n  ');
}

function renderOperation(path: string, method: string, op: Json): string {
  const m = method.toUpperCase();
  const origin = op['x-origin'] === 'cmdop' ? 'Cmdop' : 'ours';
  const lines = [
    `### ${m} /v1${path.replace(/\{(\w+)\}/g, ':$1')}`,
    '',
    `**${op.summary}** (${origin}). ${(op.description as string).replace(/^\*\*[^*]+\*\*\s*/, '')}`,
    '',
  ];
  const params = op.parameters as Json[];
  const pathParams = params.filter((p) => p.in === 'path');
  const query = params.filter((p) => p.in === 'query');
  for (const p of pathParams) lines.push(`- \`:${p.name}\`: ${p.description}`);
  if (pathParams.length) lines.push('');
  if (query.length) {
    lines.push(
      'Query parameters:',
      '',
      '| parameter | type | default | rules | description |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const p of query) {
      const def = p.schema.default !== undefined ? `\`${JSON.stringify(p.schema.default)}\`` : '';
      lines.push(
        `| \`${p.name}\` | ${cell(typeOf(p.schema))} | ${def} | ${cell(rules(p.schema))} | ${cell(p.description)} |`,
      );
    }
    lines.push('');
  }
  const body = op.requestBody?.content?.['application/json'];
  if (body) {
    const name = refName(body.schema) ?? '';
    lines.push(
      `Body: [${name}](#${name.toLowerCase()})${op.requestBody.required ? '' : ' (optional)'}.`,
      '',
    );
  }
  const [okStatus, ok] = Object.entries(op.responses as Json).find(([s]) => Number(s) < 300) ?? [];
  const media = ok?.content ?? {};
  const json = media['application/json'];
  if (json?.schema?.properties?.data) {
    const data = json.schema.properties.data as Json;
    const bare = (t: string) => t.replace(/\[|\]\(#\w+\)/g, '');
    // A meta of its own (not the envelope's request id or page) is named and linked.
    const meta = refName(json.schema.properties.meta as Json);
    const own = meta !== null && meta !== 'Meta' && meta !== 'ListMeta';
    lines.push(
      `Answer: ${okStatus} \`{"data": ${bare(typeOf(data))}, "meta": ${own ? meta : '…'}}\` (${typeOf(data)}${own ? `; meta: [${meta}](#${meta.toLowerCase()})` : ''}).`,
      '',
    );
  } else {
    lines.push(
      `Answer: ${okStatus} ${Object.keys(media)
        .map((t) => `\`${t}\``)
        .join(', ')} (${ok?.description ?? ''}).`,
      '',
    );
  }
  const errors = Object.entries(op.responses as Json)
    .filter(([s]) => Number(s) >= 400)
    .map(([s, r]) => `${s} ${(r as Json).description}`);
  lines.push(`Errors: ${errors.join('; ')}.`, '');
  const ex = json?.example ?? media['text/event-stream']?.example;
  const query0 = (op['x-example-query'] as string | undefined) ?? undefined;
  lines.push('```sh', exampleCurl(m, path, query0, body?.example), '```', '');
  if (ex !== undefined) {
    lines.push(
      typeof ex === 'string' ? '```' : '```json',
      typeof ex === 'string' ? ex : JSON.stringify(ex, null, 2),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

function renderObject(name: string, schema: Json): string {
  const origin = (schema['x-origin'] as string | undefined) ?? '';
  const lines = [`### ${name}`, ''];
  if (origin) lines.push(origin, '');
  if (schema.properties) {
    lines.push(FIELD_HEAD, ...fieldRows(schema), '');
  } else {
    lines.push(`${typeOf(schema)}`, '');
  }
  if (schema.additionalProperties === undefined && schema.type === 'object') {
    lines.push('May carry more fields when it comes from a remote Cmdop server.', '');
  }
  return lines.join('\n');
}

/** The whole reference as Markdown. Pure: the same document gives the same text. */
export function renderApiMarkdown(doc: Json): string {
  const out = [INTRO, '## Routes', '', '| route | | what |', '| --- | --- | --- |'];
  const ops: [string, string, Json][] = [];
  for (const [path, methods] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(methods as Json)) ops.push([path, method, op]);
  }
  for (const [path, method, op] of ops) {
    const route = `${method.toUpperCase()} /v1${path.replace(/\{(\w+)\}/g, ':$1')}`;
    const anchor = route
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-');
    out.push(
      `| [\`${route}\`](#${anchor}) | ${op['x-origin'] === 'cmdop' ? 'Cmdop' : 'ours'} | ${op.summary} |`,
    );
  }
  out.push('');
  for (const tag of doc.tags as Json[]) {
    const mine = ops.filter(([, , op]) => (op.tags as string[])[0] === tag.name);
    if (mine.length === 0) continue;
    out.push(`## ${tag.name}`, '', `${tag.description}.`, '');
    for (const [path, method, op] of mine) out.push(renderOperation(path, method, op));
  }
  out.push(
    '## Objects',
    '',
    "Fields marked (Cmdop) are in Cmdop's docs; (ours) are extensions.",
    '',
  );
  for (const [name, schema] of Object.entries(doc.components.schemas as Json)) {
    out.push(renderObject(name, schema as Json));
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
