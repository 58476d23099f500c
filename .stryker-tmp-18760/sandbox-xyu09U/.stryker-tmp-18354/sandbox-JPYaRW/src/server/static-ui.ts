// @ts-nocheck
// 
// Serves the built React UI for the headless mode. The page gets a strict CSP: only our own
// scripts and styles, API calls only to this origin, never framed.
//
// These files are the only answers given without the token, so they are served as one route
// per built file (no wildcard): a path that is not a file of the UI is not a public route, and
// the token check happens before anything says whether it exists.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A file of the built UI: answered without the token. */
    publicUi?: boolean;
  }
}

/** Whether the routed request is for a file of the UI (and so needs no token). */
export function isPublicUiRoute(config: { publicUi?: boolean } | undefined): boolean {
  return config?.publicUi === true;
}

/** Returns false when there is no built UI in `dir` (for instance before `npm run build`). */
export async function registerStaticUi(app: FastifyInstance, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  await app.register(async (scope) => {
    // onRoute hooks are scoped: only the routes @fastify/static adds in here are marked.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, publicUi: true };
    });
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      index: ['index.html'],
      wildcard: false,
      setHeaders: (res) => {
        res.header('Content-Security-Policy', UI_CSP);
        res.header('X-Frame-Options', 'DENY');
        res.header('Referrer-Policy', 'no-referrer');
      },
    });
  });
  return true;
}
