// A schedule as the repository stores it, for tests of the store's neighbours (backups, the
// decision log) that need one without going through the API's validation.
import type { StoredSchedule } from '../../src/core/schedules';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';

export function storedSchedule(id: string, extra: Partial<StoredSchedule> = {}): StoredSchedule {
  return {
    id,
    name: `job ${id}`,
    description: '',
    command: 'echo hi',
    cron: '0 3 * * *',
    enabled: true,
    timezone: 'UTC',
    timeout: null,
    notify: { on_success: false, on_failure: true },
    cwd: null,
    env: {},
    overlap: 'skip',
    catch_up: false,
    ...POLICY_DEFAULTS,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...extra,
  };
}
