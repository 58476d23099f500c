// @ts-nocheck
// 
// Every answer in the envelope: fastify's own errors (parsers, limits, bad URLs),
// @fastify/static's refusals and Node's HTTP parser errors become `{error:{code,message,
// details}}` with the 4xx they deserve. Only a bug in our code is a 500.
import type { FastifyError } from 'fastify';
import type { Socket } from 'node:net';
import { ApiError, type ErrorCode } from '../shared/errors';

export const BODY_LIMIT = 1024 * 1024;
/** Long enough for any id we issue; longer path segments are refused before routing. */
export const MAX_PARAM_LENGTH = 100;
/** Paths echoed in messages are cut, so a hostile URL cannot bloat answers. */
const ECHO_MAX = 120;

export function echoPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.length > ECHO_MAX ? `${path.slice(0, ECHO_MAX)}…` : path;
}

const BY_FASTIFY_CODE: Record<string, (e: FastifyError) => ApiError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new ApiError('payload_too_large', `Request body is larger than ${BODY_LIMIT} bytes`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiError(
      'unsupported_media_type',
      'Request body must be JSON: send Content-Type: application/json',
    ),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new ApiError('invalid_json', 'Request body is empty; send a JSON object'),
  FST_ERR_CTP_INVALID_JSON_BODY: (e) =>
    new ApiError('invalid_json', `Request body is not valid JSON: ${e.message}`),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ApiError('invalid_json', 'Content-Length does not match the body'),
  FST_ERR_BAD_URL: () =>
    new ApiError('bad_request', 'The request path is not valid percent-encoding'),
  FST_ERR_MAX_PARAM_LENGTH: () =>
    new ApiError(
      'uri_too_long',
      `A path segment is longer than ${MAX_PARAM_LENGTH} characters; no id is that long`,
    ),
};

/** Codes for the 4xx statuses fastify and its plugins answer with on their own. */
const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'not_found', // @fastify/static: a path outside the UI folder, or a dotfile
  404: 'not_found',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
};

/** Maps fastify's own errors (parser, limits, routing, static files) to the API's envelope. */
export function toApiError(error: FastifyError | Error, path = ''): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as FastifyError;
  const known = fastifyError.code ? BY_FASTIFY_CODE[fastifyError.code] : undefined;
  if (known) return known(fastifyError);
  const status = fastifyError.statusCode;
  if (error instanceof SyntaxError || (status === 400 && /JSON/i.test(error.message))) {
    return new ApiError('invalid_json', `Request body is not valid JSON: ${error.message}`);
  }
  const code = status !== undefined ? BY_STATUS[status] : undefined;
  if (code === 'not_found') return new ApiError('not_found', `${echoPath(path)} not found`);
  if (code !== undefined && status !== undefined) {
    return new ApiError(code, error.message || 'Bad request', {}, status);
  }
  return new ApiError('internal', 'Internal error; see the app log for details');
}

function rawResponse(status: number, reason: string, error: ApiError): string {
  const body = JSON.stringify(error.toBody());
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Node's HTTP parser refused the request before there was one (oversized headers, a
 * malformed request line): there is no route and no token to check, only a socket to answer.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let response: string;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const error = new ApiError(
      'headers_too_large',
      'The request line and headers are larger than 16 KiB',
    );
    response = rawResponse(431, 'Request Header Fields Too Large', error);
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const error = new ApiError('bad_request', 'The request was not sent in time', {}, 408);
    response = rawResponse(408, 'Request Timeout', error);
  } else {
    response = rawResponse(400, 'Bad Request', new ApiError('bad_request', 'Malformed request'));
  }
  if (socket.writable) socket.end(response);
  socket.destroySoon();
}
