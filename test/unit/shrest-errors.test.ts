// The one error type every surface shares: its HTTP status, its body on the wire (and back
// through a client), and the sentences of the common errors.
import { describe, expect, it } from 'vitest';
import { ApiError, ERROR_STATUS } from '../../src/shared/errors';
import { errorWire } from '../../src/shared/wire-schemas';

describe('ApiError', () => {
  it('is an Error named ApiError with the status of its code, unless one is given', () => {
    const e = new ApiError('conflict', 'already running');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ApiError');
    expect(String(e)).toBe('ApiError: already running');
    expect(e.status).toBe(409);
    expect(e.details).toEqual({});
    expect(new ApiError('internal', 'x', {}, 503).status).toBe(503);
    expect(ERROR_STATUS.insufficient_storage).toBe(507);
  });

  it('writes its body as the wire schema says, retry_after only when set', () => {
    const e = new ApiError('not_found', 'gone', { id: 'x' });
    expect(e.toBody()).toEqual({
      error: { code: 'not_found', message: 'gone', details: { id: 'x' } },
    });
    expect('retry_after' in e.toBody().error).toBe(false);
    expect(errorWire.parse(e.toBody())).toEqual(e.toBody());
    const limited = new ApiError('rate_limited', 'slow down');
    limited.retryAfter = 30;
    expect(limited.toBody()).toEqual({
      error: { code: 'rate_limited', message: 'slow down', details: {}, retry_after: 30 },
    });
    expect(errorWire.parse(limited.toBody())).toEqual(limited.toBody());
  });

  it('notFound names the kind and the id', () => {
    const e = ApiError.notFound('Schedule', 'sched_1');
    expect(e).toMatchObject({
      code: 'not_found',
      status: 404,
      message: 'Schedule sched_1 not found',
    });
  });

  it('invalid names every field and its rule, and keeps them in details', () => {
    const fields = { cron: 'expected 5 or 6 fields, got 7', name: 'must not be blank' };
    const e = ApiError.invalid(fields);
    expect(e.code).toBe('validation_error');
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      'Invalid request: cron: expected 5 or 6 fields, got 7; name: must not be blank',
    );
    expect(e.details).toEqual({ fields });
    expect(ApiError.invalid({ x: 'is required' }, 'export file').message).toBe(
      'Invalid export file: x: is required',
    );
  });

  it('tells an error body from anything else', () => {
    for (const body of [
      { error: { code: 'x', message: 'y' } },
      { error: { code: 'x', message: 'y', details: {} } },
    ]) {
      expect(ApiError.isErrorBody(body)).toBe(true);
    }
    for (const value of [
      null,
      undefined,
      'error',
      42,
      {},
      { data: [] },
      { error: null },
      { error: 'boom' },
      { error: { message: 'y' } },
      { error: { code: 'x' } },
    ]) {
      expect(ApiError.isErrorBody(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('fromBody keeps code, message, details and retry_after, with the status given', () => {
    const e = ApiError.fromBody(
      { error: { code: 'rate_limited', message: 'later', details: { a: 1 }, retry_after: 5 } },
      429,
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'rate_limited', message: 'later', status: 429, retryAfter: 5 });
    expect(e.details).toEqual({ a: 1 });
    // A body from a server that leaves details out, or sends retry_after as text.
    const bare = ApiError.fromBody({
      error: { code: 'not_found', message: 'no', retry_after: '5' },
    } as never);
    expect(bare.details).toEqual({});
    expect(bare.status).toBe(404);
    expect(bare.retryAfter).toBeUndefined();
    expect(bare.toBody()).toEqual({ error: { code: 'not_found', message: 'no', details: {} } });
  });
});
