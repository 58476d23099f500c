// The desktop notifier's edges without a desktop: node-notifier replaced by a recorder (what
// it is handed is what the user sees), and notify-send / dbus-send as fake scripts on a temp
// PATH (real child processes, never the real bus).
//
// vi.mock is hoisted per test file, so a file that needs the recorder calls
// `vi.mock('node-notifier', async () => (await import('../helpers/notifier-recorder')).notifierMock())`
// itself; notificationsRig resets that recorder before each test.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notice } from '../../src/core/notifications';
import { notifier } from './notifier-recorder';
import { tempDirs } from './server';

export const notice = (over: Partial<Notice> = {}): Notice => ({
  title: 'Backup failed',
  body: 'disk full',
  scheduleId: 'sch_1',
  runId: 'run_1',
  commandId: 'cmd_1',
  kind: 'failure',
  ...over,
});

type Hook = (fn: () => void) => void;

export function notificationsRig(beforeEach: Hook, afterEach: Hook) {
  beforeEach(() => {
    notifier.calls.length = 0;
    notifier.answer = (cb) => cb(null, '');
  });

  const newDir = tempDirs(afterEach);

  /** A directory holding an executable `name` with this shell body; PATH is only it and /bin. */
  function fakeBin(name: string, body: string): { env: NodeJS.ProcessEnv; dir: string } {
    const dir = newDir();
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return { dir, env: { PATH: `${dir}:/usr/bin:/bin`, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' } };
  }

  return { notifier, newDir, fakeBin };
}
