// @ts-nocheck
// 
// One error type crosses every surface (HTTP, IPC, remote proxy) with a stable code.

export const ERROR_STATUS = {
  validation_error: 400,
  invalid_json: 400,
  /** A request the server cannot read at all: bad percent-encoding, a malformed request line. */
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  not_running: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  upstream_unavailable: 502,
  /** ours: the data directory cannot be written (full disk, read-only, quota). */
  insufficient_storage: 507,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorDetails = Record<string, unknown> & { fields?: Record<string, string> };

export interface ErrorBody {
  /** retry_after (seconds) only on 429, as Cmdop sends it. */
  error: { code: ErrorCode; message: string; details: ErrorDetails; retry_after?: number };
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;
  /** Seconds until a rate-limited client may try again. */
  retryAfter?: number;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, status?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status ?? ERROR_STATUS[code];
    this.details = details;
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = {
      code: this.code,
      message: this.message,
      details: this.details,
    };
    if (this.retryAfter !== undefined) error.retry_after = this.retryAfter;
    return { error };
  }

  static notFound(kind: string, id: string): ApiError {
    return new ApiError('not_found', `${kind} ${id} not found`);
  }

  /** A validation error naming every bad field, e.g. {cron: "expected 5 or 6 fields, got 7"}. */
  static invalid(fields: Record<string, string>, what = 'request'): ApiError {
    const list = Object.entries(fields)
      .map(([field, rule]) => `${field}: ${rule}`)
      .join('; ');
    return new ApiError('validation_error', `Invalid ${what}: ${list}`, { fields });
  }

  static isErrorBody(value: unknown): value is ErrorBody {
    if (typeof value !== 'object' || value === null || !('error' in value)) return false;
    const e = (value as { error: unknown }).error;
    return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
  }

  static fromBody(body: ErrorBody, status?: number): ApiError {
    const { code, message, details, retry_after } = body.error;
    const error = new ApiError(code, message, details ?? {}, status);
    if (typeof retry_after === 'number') error.retryAfter = retry_after;
    return error;
  }
}
