// @ts-nocheck
// 
// The engine's own answer to `POST /v1/cron/fires`, in-process, for component tests: the
// code the route runs (core's expressionFires), behind a spy so a test can see each question.
import { vi } from 'vitest';
import { expressionFires } from '../../src/core/fire-preview';
import type { CronFiresInput, FiresResult } from '../../src/shared/fires-api';

export function engineFires() {
  // The preview always sends `from`; the clock is only the route's default.
  return vi.fn(async (input: CronFiresInput): Promise<FiresResult> =>
    expressionFires(input, Date.parse('2026-01-01T00:00:00Z')),
  );
}
