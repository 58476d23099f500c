// Serves the built React UI for the headless mode. The page gets a strict CSP: only our own
// scripts and styles, API calls only to this origin, never framed.
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

/** Returns false when there is no built UI in `dir` (for instance before `npm run build`). */
export async function registerStaticUi(app: FastifyInstance, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    setHeaders: (res) => {
      res.header('Content-Security-Policy', UI_CSP);
      res.header('X-Frame-Options', 'DENY');
      res.header('Referrer-Policy', 'no-referrer');
    },
  });
  return true;
}
