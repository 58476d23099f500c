// What the user reads: the guards on notifier text, the notifier payload per platform, how a
// notifier error is told, and the notice and summary texts at their edges.
import { describe, expect, it } from 'vitest';
import {
  noticeFor,
  summaryNotice,
  describeNotifierError,
  guardDash,
  isLinuxLike,
  keepBackslashes,
  notifierPayload,
} from '../../src/core/notifications';
import type { Run } from '../../src/shared/types';
import { notice } from '../helpers/notifications-rig';
import { finishedRun } from '../helpers/runs';

describe('notifier text guards', () => {
  it('a leading dash is kept from reading as an option; others are left alone', () => {
    expect(guardDash('--> error')).toBe('\u200b--> error');
    expect(guardDash('a-b')).toBe('a-b');
  });

  it('backslashes survive notify-send unescaping', () => {
    expect(keepBackslashes('C:\\temp\\x')).toBe('C:\\\\temp\\\\x');
  });

  it('linux and the BSDs use notify-send; macOS and Windows do not', () => {
    expect(isLinuxLike('linux')).toBe(true);
    expect(isLinuxLike('freebsd')).toBe(true);
    expect(isLinuxLike('openbsd')).toBe(true);
    expect(isLinuxLike('darwin')).toBe(false);
    expect(isLinuxLike('win32')).toBe(false);
    expect(isLinuxLike('bsdthing' as NodeJS.Platform)).toBe(false);
  });

  it('the payload on linux: escaped body, app name, never wait', () => {
    expect(
      notifierPayload(notice({ title: '-x', body: 'a\\b' }), {
        platform: 'linux',
        icon: '/i.png',
        onClick: () => {},
      }),
    ).toEqual({
      title: '\u200b-x',
      message: 'a\\\\b',
      icon: '/i.png',
      'app-name': 'Cmdop Scheduler',
    });
    expect(notifierPayload(notice(), { platform: 'linux', appName: 'Mine' })['app-name']).toBe(
      'Mine',
    );
  });

  it('elsewhere: the body as is (a space when empty), wait for clicks, appID on Windows', () => {
    expect(notifierPayload(notice({ body: 'a\\b' }), { platform: 'darwin' })).toEqual({
      title: 'Backup failed',
      message: 'a\\b',
    });
    expect(
      notifierPayload(notice({ body: '' }), {
        platform: 'win32',
        appID: 'app.id',
        onClick: () => {},
      }),
    ).toEqual({
      title: 'Backup failed',
      message: ' ',
      appID: 'app.id',
      wait: true,
    });
    expect(notifierPayload(notice({ body: '' }), { platform: 'linux' }).message).toBe(' ');
    expect(notifierPayload(notice(), { platform: 'darwin', appID: 'app.id' })).not.toHaveProperty(
      'appID',
    );
  });
});

describe('describeNotifierError', () => {
  it('keeps the notifier words and drops the command line (the notice text)', () => {
    const err = Object.assign(
      new Error('Command failed: notify-send secret output\n\n  Unknown option  \n'),
      {
        code: 1,
      },
    );
    expect(describeNotifierError(err)).toBe('notifier exited with 1: Unknown option');
  });

  it('without a code or a detail line it says the notifier failed', () => {
    expect(describeNotifierError(new Error('Command failed: notify-send x\n   \n'))).toBe(
      'notifier failed',
    );
    expect(
      describeNotifierError(Object.assign(new Error('Command failed: x'), { code: 'ENOENT' })),
    ).toBe('notifier failed');
  });

  it('any other error is its first line; strings as such; others unknown', () => {
    expect(describeNotifierError(new Error('spawn notify-send ENOENT\nmore'))).toBe(
      'spawn notify-send ENOENT',
    );
    expect(describeNotifierError('plain words')).toBe('plain words');
    expect(describeNotifierError(42)).toBe('unknown error');
    expect(describeNotifierError(new Error('y'.repeat(500)))).toHaveLength(200);
  });
});

describe('notice texts at their edges', () => {
  const run = (over: Partial<Run>): Run =>
    finishedRun({
      schedule_id: 'sch_1',
      started_at: '2026-01-01T03:00:00Z',
      finished_at: '2026-01-01T03:00:02Z',
      exit_code: null,
      duration: 2000,
      status: 'timeout',
      ...over,
    });
  const both = { on_success: true, on_failure: true };

  it('a timeout names its limit and the attempts; no limit, the run time; neither, just timed out', () => {
    const sched = (timeout?: number | null) => ({ name: 'Sync', notify: both, timeout });
    expect(noticeFor(run({ attempt: 3 }), sched(60_000))?.title).toBe(
      'Sync timed out after 1 min (3 attempts)',
    );
    expect(noticeFor(run({ attempt: undefined as never }), sched(60_000))?.title).toBe(
      'Sync timed out after 1 min',
    );
    expect(noticeFor(run({}), sched(0))?.title).toBe('Sync timed out after 2 s');
    expect(noticeFor(run({}), sched(null))?.title).toBe('Sync timed out after 2 s');
    expect(noticeFor(run({ duration: null, attempt: 2 }), sched(undefined))?.title).toBe(
      'Sync timed out (2 attempts)',
    );
  });

  it('a blank name reads "A schedule"; names are trimmed', () => {
    expect(noticeFor(run({}), { name: '   ', notify: both })?.title).toMatch(
      /^A schedule timed out/,
    );
    expect(noticeFor(run({}), { name: '  Sync  ', notify: both })?.title).toMatch(
      /^Sync timed out/,
    );
  });

  it('a success without a duration just finished', () => {
    expect(
      noticeFor(run({ status: 'success', duration: null }), { name: 'S', notify: both })?.body,
    ).toBe('Finished');
  });

  it.each(['cancelled', 'skipped', 'running'] as const)('a %s run has no notice', (status) => {
    expect(noticeFor(run({ status }), { name: 'S', notify: both })).toBeNull();
  });

  it('exactly five names are all listed', () => {
    const e = (name: string) => ({ name, notice: notice({ kind: 'failure' }) });
    expect(summaryNotice(['A', 'B', 'C', 'D', 'E'].map(e)).body).toBe('A, B, C, D, E');
  });

  it('an error object that is not an Error but has a code is still "failed"', () => {
    expect(describeNotifierError({ code: 2, message: 'Command failed: x\nbad' })).toBe(
      'unknown error',
    );
    const noLines = Object.assign(new Error(''), { code: 1 });
    expect(describeNotifierError(noLines)).toBe('');
  });

  it('no icon option, no icon in the payload', () => {
    expect(notifierPayload(notice(), { platform: 'linux' })).not.toHaveProperty('icon');
  });
});
