// @ts-nocheck
// 
// Checks live answers against the OpenAPI document: the route is found by its path template,
// the answer's status must be one the document lists for it, and the body must validate
// against that response's schema (JSON Schema 2020-12, as OpenAPI 3.1 uses; Ajv).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { buildOpenApi } from '../../src/server/openapi';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, any>;

const pointer = (parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export interface OpenApiChecker {
  doc: Json;
  /** The document path template a concrete /v1 path answers to, or null. */
  template(method: string, path: string): string | null;
  /** Problems with this answer (empty when it conforms). */
  problems(method: string, path: string, status: number, body: unknown): string[];
}

export function openApiChecker(doc: Json = buildOpenApi()): OpenApiChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  // Literal paths first, so /commands/async is not taken for /commands/{id}.
  const templates = Object.keys(doc.paths as Json).sort(
    (a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0),
  );
  const template = (method: string, path: string) => {
    const bare = path.split('?')[0]!.replace(/^\/v1/, '');
    for (const t of templates) {
      const re = new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (re.test(bare) && doc.paths[t][method.toLowerCase()]) return t;
    }
    return null;
  };
  return {
    doc,
    template,
    problems(method, path, status, body) {
      const t = template(method, path);
      if (!t) return [`${method} ${path} is not in the document`];
      const op = doc.paths[t][method.toLowerCase()];
      const response = op.responses[String(status)];
      if (!response) return [`${method} ${t} answered ${status}, which the document does not list`];
      const media = response.content?.['application/json'];
      if (!media) return [];
      const ref = `openapi.json#/${pointer(['paths', t, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'])}`;
      const validate = ajv.getSchema(ref);
      if (!validate) return [`no schema at ${ref}`];
      if (validate(body)) return [];
      return (validate.errors ?? []).map(
        (e) =>
          `${method} ${t} ${status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
      );
    },
  };
}
