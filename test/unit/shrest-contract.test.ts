// Small pieces of the contract between the engine and its surfaces: the run-policy fields a
// schedule carries, the bridge's verbs and channels, and answers checked by the wire schemas.
import { describe, expect, it } from 'vitest';
import { BRIDGE_METHODS, EVENT_CHANNEL, NAVIGATE_CHANNEL } from '../../src/shared/bridge';
import { POLICY_FIELD_NAMES, policyFields } from '../../src/shared/policy-fields';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';
import { cancelledWire, deletedWire, machineStatusWire } from '../../src/shared/wire-schemas';

describe('policyFields', () => {
  it('copies exactly the run-policy fields of a schedule', () => {
    const schedule = {
      id: 'sched_1',
      name: 'n',
      retries: 3,
      retry_delay: 5000,
      retry_backoff: 1.5,
      random_delay: 1000,
      shell: 'login' as const,
      env_file: '/etc/env',
      paused_until: '2026-06-01T09:00:00Z',
      run_on_battery: false,
    };
    const fields = policyFields(schedule);
    expect(fields).toEqual({
      retries: 3,
      retry_delay: 5000,
      retry_backoff: 1.5,
      random_delay: 1000,
      shell: 'login',
      env_file: '/etc/env',
      paused_until: '2026-06-01T09:00:00Z',
      run_on_battery: false,
    });
    expect(Object.keys(fields)).toEqual([...POLICY_FIELD_NAMES]);
    expect(Object.keys(POLICY_DEFAULTS).sort()).toEqual([...POLICY_FIELD_NAMES].sort());
  });
});

describe('the bridge', () => {
  it('lists every verb once, on their own channels', () => {
    expect(new Set(BRIDGE_METHODS).size).toBe(BRIDGE_METHODS.length);
    expect(BRIDGE_METHODS).toEqual(
      expect.arrayContaining(['list', 'getSettings', 'createBatch', 'testNotify', 'cronFires']),
    );
    expect(EVENT_CHANNEL).toBe('cmdop:event');
    expect(NAVIGATE_CHANNEL).toBe('cmdop:navigate');
  });
});

describe('wire schemas', () => {
  it('hold answers to their documented shapes', () => {
    expect(deletedWire.safeParse({ deleted: true }).success).toBe(true);
    expect(deletedWire.safeParse({ deleted: false }).success).toBe(false);
    expect(cancelledWire.safeParse({ cancelled: true }).success).toBe(true);
    const status = {
      connected: true,
      uptime: 10,
      last_ping: '2026-06-01T09:00:00Z',
      cpu: { usage: 100, cores: 4 },
      memory: { total: 10, used: 5, free: 5 },
      disk: { total: 10, used: 5, free: 5 },
    };
    expect(machineStatusWire.safeParse(status).success).toBe(true);
    expect(machineStatusWire.safeParse({ ...status, cpu: { usage: 101, cores: 4 } }).success).toBe(
      false,
    );
  });
});
