// @ts-nocheck
// 
// The loopback REST server: the Schedules API under /v1 with the Cmdop envelopes, and the
// guards of API.md. fastify because it gives body limits, content-type parsing and
// prototype-poisoning protection out of the box and is fast; we only add our envelope.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../shared/errors';
import { newId } from '../shared/ids';
import type { Clock } from '../shared/time';
import type { Logger } from '../core/log';
import type { SchedulesApi } from '../shared/api';
import type { EventFeed } from '../shared/events';
import type { SettingsApi } from '../shared/settings';
import {
  BODY_LIMIT,
  MAX_PARAM_LENGTH,
  clientErrorHandler,
  echoPath,
  toApiError,
} from './framework-errors';
import { allowedHosts, checkHost, checkOrigin, checkToken } from './guards';
import { RateLimiter } from './rate-limit';
import { registerRoutes } from './routes';
import { registerBulkRoutes, type BulkRouteDeps } from './routes-bulk';
import { registerMetaRoutes } from './routes-meta';
import { unknownQueryWarnings } from './query-warnings';
import { registerAlertRoutes, type AlertRouteDeps } from './routes-alerts';
import { registerFireRoutes, type FireRouteDeps } from './routes-fires';
import { registerDecisionRoutes, type DecisionRouteDeps } from './routes-decisions';
import { isUnixSocketRequest, listenOnSocket } from './socket-listen';
import { isPublicUiRoute, registerStaticUi } from './static-ui';

export { BODY_LIMIT } from './framework-errors';
export const RATE_LIMIT_PER_MINUTE = 1000;

export interface ServerOptions
  extends BulkRouteDeps, AlertRouteDeps, FireRouteDeps, DecisionRouteDeps {
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
  /** Requests per minute per token; default RATE_LIMIT_PER_MINUTE (long fuzz runs raise it). */
  rateLimitPerMinute?: number;
  /**
   * 'socket': this instance serves the owner's Unix socket, where file permissions are the
   * authentication (as Docker's), so a request that really came over it needs no token.
   * Default 'tcp': the token, Host and rate limit apply to every request.
   */
  transport?: 'tcp' | 'socket';
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  host: string;
  /** Whether the browser UI is served at `/`. */
  ui: boolean;
  /** Every route registered, UI files included: what security tests and docs enumerate. */
  routes: RouteInfo[];
  close(): Promise<void>;
}

export interface RouteInfo {
  method: string;
  url: string;
  readonly public: boolean;
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).send(error.toBody());
}

export function buildServer(options: ServerOptions): {
  app: FastifyInstance;
  listen(host: string, port: number): Promise<RunningServer>;
  /** Serves the same routes on a Unix socket (mode 0600); needs transport 'socket'. */
  listenSocket(path: string): Promise<RunningServer>;
} {
  const { log } = options;
  let hosts = new Set<string>();
  const limiter = new RateLimiter(
    options.rateLimitPerMinute ?? RATE_LIMIT_PER_MINUTE,
    60_000,
    options.clock,
  );

  const viaSocket = (req: FastifyRequest) =>
    options.transport === 'socket' && isUnixSocketRequest(req.raw);

  /**
   * Default deny, decided on the routed request (never on the raw URL, which may be
   * percent-encoded or absolute-form): only files of the UI are answered without the token.
   */
  const admit = (req: FastifyRequest, reply: FastifyReply, routed: boolean) => {
    reply.header('X-Request-Id', req.id);
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    // Both must hold: the instance was built for the socket, and this connection is one.
    if (viaSocket(req)) {
      // No browser reaches a Unix socket; a request claiming a web origin is refused anyway.
      if (req.headers.origin !== undefined) {
        throw new ApiError('forbidden', 'Requests from web pages are not accepted on the socket');
      }
      return;
    }
    checkHost(req.headers.host, hosts);
    checkOrigin(req.headers.origin, hosts);
    if (routed && isPublicUiRoute(req.routeOptions.config)) return;
    const token = options.token();
    checkToken(req.headers.authorization, token);
    const rate = limiter.take(token);
    reply.header('X-RateLimit-Limit', rate.limit);
    reply.header('X-RateLimit-Remaining', rate.remaining);
    reply.header('X-RateLimit-Reset', rate.reset);
    if (!rate.allowed) {
      const retryAfter = Math.max(1, rate.reset - Math.floor(options.clock.now() / 1000));
      reply.header('Retry-After', retryAfter);
      const error = new ApiError(
        'rate_limited',
        `Rate limit of ${rate.limit} requests per minute exceeded; retry in ${retryAfter} s`,
      );
      error.retryAfter = retryAfter;
      throw error;
    }
  };

  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    genReqId: () => newId('req'),
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Bad percent-encoding and overlong ids are refused before routing; the guards still
    // come first, so without the token nobody learns how the path was judged.
    frameworkErrors: (error, req, reply) => {
      try {
        admit(req, reply, false);
        sendError(reply, toApiError(error, req.url));
      } catch (e) {
        sendError(reply, toApiError(e as Error, req.url));
      }
    },
    clientErrorHandler,
  });

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // Read later: the UI's own scope marks its routes after this (parent) hook has run.
      routes.push({
        method,
        url: route.url,
        get public() {
          return isPublicUiRoute(route.config);
        },
      });
    }
  });

  // JSON only: fastify would parse text/plain too, the type a cross-site form can send
  // without a preflight. Anything but JSON is 415.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req, reply) => admit(req, reply, true));

  // Unknown query parameters are ignored (Cmdop's own filters, cache-busters), and said so.
  app.addHook('preSerialization', async (req, _reply, payload) =>
    unknownQueryWarnings(req, payload),
  );

  app.setErrorHandler((raw, req, reply) => {
    const error = raw instanceof Error ? raw : new Error(String(raw));
    const apiError = toApiError(error, req.url);
    if (apiError.code === 'internal') {
      // Message and stack only: bodies and headers may hold commands' secrets and the token.
      log.error(
        `${req.method} ${req.routeOptions.url ?? echoPath(req.url)} [${req.id}] ${error.stack ?? error.message}`,
      );
    }
    return sendError(reply, apiError);
  });

  app.setNotFoundHandler((req, reply) => {
    sendError(
      reply,
      new ApiError('not_found', `Route ${req.method} ${echoPath(req.url)} not found`),
    );
  });

  registerRoutes(app, options);
  registerBulkRoutes(app, options);
  registerMetaRoutes(app, { viaSocket });
  registerAlertRoutes(app, options);
  registerFireRoutes(app, options);
  registerDecisionRoutes(app, options);

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
        routes,
        url: `http://${shown}:${address.port}`,
        close: () => app.close(),
      };
    },
    async listenSocket(path: string): Promise<RunningServer> {
      await listenOnSocket(app, path);
      return { app, host: path, port: 0, ui: false, routes, url: path, close: () => app.close() };
    },
  };
}
