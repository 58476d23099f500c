// @ts-nocheck
// 
// Cmdop's words for our things: command statuses, architecture names, the machine filters,
// and what a connection test calls the API that answered.
import { describe, expect, it } from 'vitest';
import { commandStatusOf, toCommand, toRun } from '../../src/shared/cmdop-command';
import { RUN_STATUSES, type Machine, type Run } from '../../src/shared/types';
import { cmdopArch, machineMatches, primaryAddress } from '../../src/core/machine';
import { candidateUrls, kindOf } from '../../src/core/remote-probe';

const run: Run = {
  id: 'run_X',
  command_id: 'cmd_X',
  schedule_id: 'sched_1',
  started_at: '2024-01-20T15:45:00Z',
  finished_at: '2024-01-20T15:46:30Z',
  exit_code: 0,
  duration: 90_000,
  stdout: 'ok\n',
  stderr: '',
  trigger: 'manual',
  status: 'success',
  scheduled_for: null,
  signal: null,
  truncated: false,
  attempt: 1,
  retry_of: null,
  shell: '/bin/sh -c',
  env_file: null,
};

describe('the command shape', () => {
  it.each([
    ['running', 'running'],
    ['success', 'completed'],
    ['failure', 'failed'],
    ['timeout', 'failed'],
    ['interrupted', 'failed'],
    ['cancelled', 'cancelled'],
    ['skipped', 'cancelled'],
  ] as const)('a %s run is a %s command', (status, cmdop) => {
    expect(commandStatusOf(status)).toBe(cmdop);
  });

  it('maps every run status', () => {
    for (const s of RUN_STATUSES) expect(commandStatusOf(s)).toBeTruthy();
  });

  it("keeps every run field, with the command's id and Cmdop's status in front", () => {
    const c = toCommand(run, 'mach_1', 'backup.sh');
    expect(c).toMatchObject({
      id: 'cmd_X',
      status: 'completed',
      machine_id: 'mach_1',
      command: 'backup.sh',
      command_id: 'cmd_X',
      run_id: 'run_X',
      run_status: 'success',
    });
    expect(toRun(c)).toEqual(run);
  });

  it('reads a remote Cmdop command, which has none of our fields, as a run', () => {
    const remote = {
      id: 'cmd_xyz789',
      status: 'failed' as const,
      exit_code: 2,
      stdout: '',
      stderr: 'no such file\n',
      started_at: '2024-01-20T15:45:00Z',
      finished_at: '2024-01-20T15:46:30Z',
    };
    expect(toRun(remote)).toMatchObject({
      id: 'cmd_xyz789',
      command_id: 'cmd_xyz789',
      status: 'failure',
      exit_code: 2,
      trigger: 'manual',
    });
  });
});

describe('machines in Cmdop words', () => {
  it.each([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['ia32', '386'],
    ['arm', 'arm'],
    ['riscv64', 'riscv64'],
  ])('arch %s is %s', (node, cmdop) => {
    expect(cmdopArch(node, false)).toBe(cmdop);
  });

  it('little-endian ppc64 is ppc64le, as Go names it', () => {
    expect(cmdopArch('ppc64', false)).toBe('ppc64le');
    expect(cmdopArch('ppc64', true)).toBe('ppc64');
  });

  it('ip: the first external IPv4 address, else IPv6, else null', () => {
    const lo = { address: '127.0.0.1', family: 'IPv4', internal: true } as const;
    const v6 = { address: 'fe80::1', family: 'IPv6', internal: false } as const;
    const v4 = { address: '192.168.1.100', family: 'IPv4', internal: false } as const;
    const iface = (a: object) => ({ netmask: '', mac: '', cidr: null, ...a }) as never;
    expect(primaryAddress({ lo: [iface(lo)], eth0: [iface(v6), iface(v4)] })).toBe('192.168.1.100');
    expect(primaryAddress({ lo: [iface(lo)], eth0: [iface(v6)] })).toBe('fe80::1');
    expect(primaryAddress({ lo: [iface(lo)] })).toBeNull();
  });

  const m: Machine = {
    id: 'mach_1',
    name: 'prod-1',
    status: 'online',
    os: 'linux',
    arch: 'amd64',
    hostname: 'prod-1.example.com',
    tags: ['Production', 'web'],
    created_at: '2024-01-15T10:30:00Z',
    last_seen: '2024-01-20T15:45:00Z',
  };

  it.each([
    [{ status: 'online' as const }, true],
    [{ status: 'offline' as const }, false],
    [{ tags: 'production' }, true],
    [{ tags: 'web, production' }, true],
    [{ tags: 'web,db' }, false],
    [{ search: 'PROD' }, true],
    [{ search: 'example.com' }, true],
    [{ search: 'staging' }, false],
    [{ tags: '', search: '' }, true],
  ])('filters %j: %s', (q, expected) => {
    expect(machineMatches(m, q)).toBe(expected);
  });
});

describe('which Cmdop API a connection reached', () => {
  it('tries a bare address at /api/v1 (self-hosted) and /v1; a full URL as it is', () => {
    expect(candidateUrls('https://cmdop.example.com')).toEqual([
      'https://cmdop.example.com/api/v1',
      'https://cmdop.example.com/v1',
    ]);
    expect(candidateUrls('https://api.cmdop.com/v1/')).toEqual(['https://api.cmdop.com/v1']);
  });

  it('names the cloud, a self-hosted Cmdop, and another Cmdop Scheduler', () => {
    const user = {
      id: 'user_1',
      email: 'a@example.com',
      name: 'A',
      plan: 'pro',
      permissions: [],
    };
    expect(kindOf('https://api.cmdop.com/v1', user)).toBe('cloud');
    expect(kindOf('https://cmdop.example.com/api/v1', user)).toBe('self-hosted');
    expect(kindOf('https://cmdop.example.com/api/v1', null)).toBe('self-hosted');
    expect(kindOf('http://127.0.0.1:7878/v1', { ...user, id: 'local', plan: 'local' })).toBe(
      'cmdop-scheduler',
    );
    expect(kindOf('https://other.example.com/v1', null)).toBe('unknown');
  });
});
