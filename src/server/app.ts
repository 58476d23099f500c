// The loopback REST server: the Schedules API under /v1 with the Cmdop envelopes, and the
// guards of API.md. fastify because it gives body limits, content-type parsing and
// prototype-poisoning protection out of the box and is fast; we only add our envelope.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../shared/errors';
import { newId } from '../shared/ids';
import type { Clock } from '../shared/time';
import type { Logger } from '../core/log';
import type { SchedulesApi } from '../shared/api';
import type { EventFeed } from '../shared/events';
import type { SettingsApi } from '../shared/settings';
import { allowedHosts, checkHost, checkOrigin, checkToken } from './guards';
import { RateLimiter } from './rate-limit';
import { registerRoutes } from './routes';
import { registerStaticUi } from './static-ui';

export const BODY_LIMIT = 1024 * 1024;
export const RATE_LIMIT_PER_MINUTE = 1000;

export interface ServerOptions {
  api: SchedulesApi;
  /** Engine events for `GET /v1/events`. */
  events?: EventFeed;
  settings?: SettingsApi;
  /** Read on every request, so a rotated token takes effect at once. */
  token: () => string;
  clock: Clock;
  log: Logger;
  /** The built renderer to serve at `/`, if any. */
  uiDir?: string;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  host: string;
  /** Whether the browser UI is served at `/`. */
  ui: boolean;
  close(): Promise<void>;
}

/** Maps fastify's own errors (parser, limits) to the API's codes and envelope. */
export function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', `Request body is larger than ${BODY_LIMIT} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        'unsupported_media_type',
        'Request body must be JSON: send Content-Type: application/json',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('invalid_json', 'Request body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('invalid_json', `Request body is not valid JSON: ${error.message}`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('invalid_json', 'Content-Length does not match the body');
  }
  const status = (error as FastifyError).statusCode;
  if (error instanceof SyntaxError || (status === 400 && /JSON/i.test(error.message))) {
    return new ApiError('invalid_json', `Request body is not valid JSON: ${error.message}`);
  }
  if (status === 400) return new ApiError('validation_error', error.message);
  return new ApiError('internal', 'Internal error; see the app log for details');
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).send(error.toBody());
}

export function buildServer(options: ServerOptions): {
  app: FastifyInstance;
  listen(host: string, port: number): Promise<RunningServer>;
} {
  const { log } = options;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    genReqId: () => newId('req'),
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  const limiter = new RateLimiter(RATE_LIMIT_PER_MINUTE, 60_000, options.clock);
  let hosts = new Set<string>();

  app.addHook('onRequest', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    checkHost(req.headers.host, hosts);
    checkOrigin(req.headers.origin, hosts);
    if (!req.url.startsWith('/v1/') && req.url !== '/v1') return;
    const token = options.token();
    checkToken(req.headers.authorization, token);
    const rate = limiter.take(token);
    reply.header('X-RateLimit-Limit', rate.limit);
    reply.header('X-RateLimit-Remaining', rate.remaining);
    reply.header('X-RateLimit-Reset', rate.reset);
    if (!rate.allowed) {
      reply.header('Retry-After', Math.max(1, rate.reset - Math.floor(options.clock.now() / 1000)));
      throw new ApiError(
        'rate_limited',
        `Rate limit of ${rate.limit} requests per minute exceeded`,
      );
    }
  });

  app.setErrorHandler((raw, req, reply) => {
    const error = raw instanceof Error ? raw : new Error(String(raw));
    const apiError = toApiError(error);
    if (apiError.code === 'internal') {
      // Message and stack only: bodies and headers may hold commands' secrets and the token.
      log.error(
        `${req.method} ${req.routeOptions.url ?? req.url} [${req.id}] ${error.stack ?? error.message}`,
      );
    }
    return sendError(reply, apiError);
  });

  app.setNotFoundHandler((req, reply) => {
    sendError(
      reply,
      new ApiError('not_found', `Route ${req.method} ${req.url.split('?')[0]} not found`),
    );
  });

  registerRoutes(app, options);

  return {
    app,
    async listen(host: string, port: number): Promise<RunningServer> {
      const ui = options.uiDir ? await registerStaticUi(app, options.uiDir) : false;
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      hosts = allowedHosts(host, address.port);
      const shown = host.includes(':') ? `[${host}]` : host;
      return {
        app,
        host,
        port: address.port,
        ui,
        url: `http://${shown}:${address.port}`,
        close: () => app.close(),
      };
    },
  };
}
