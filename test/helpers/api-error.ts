// The ApiError a call throws or a promise rejects with, for tests that read its code, message
// and details.
import { expect } from 'vitest';
import { ApiError } from '../../src/shared/errors';

export async function apiRejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

export function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}
