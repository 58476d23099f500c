// @ts-nocheck
// 
// The run policy fields of a schedule (ours: retries, random delay, shell, env file, pause,
// battery), picked in the API's order wherever a schedule is written out whole.
import type { Schedule } from './types';

export const POLICY_FIELD_NAMES = [
  'retries',
  'retry_delay',
  'retry_backoff',
  'random_delay',
  'shell',
  'env_file',
  'paused_until',
  'run_on_battery',
] as const;

export type PolicyFields = Pick<Schedule, (typeof POLICY_FIELD_NAMES)[number]>;

export function policyFields(s: PolicyFields): PolicyFields {
  return {
    retries: s.retries,
    retry_delay: s.retry_delay,
    retry_backoff: s.retry_backoff,
    random_delay: s.random_delay,
    shell: s.shell,
    env_file: s.env_file,
    paused_until: s.paused_until,
    run_on_battery: s.run_on_battery,
  };
}
