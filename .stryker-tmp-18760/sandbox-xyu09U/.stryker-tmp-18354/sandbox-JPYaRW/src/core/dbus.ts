// @ts-nocheck
// 
// Two questions for the desktop's session bus, asked with dbus-send (Debian's dbus-bin, on
// every desktop that has a bus): is a name taken, and what can the notification server do.
// Answers are null when the bus cannot be asked; callers then fall back to other clues.
import { execFile } from 'node:child_process';

const TIMEOUT_MS = 2000;

function dbusSend(args: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  // Without an address dbus-send would try X11 autolaunch and leave a stray bus behind.
  if (!env.DBUS_SESSION_BUS_ADDRESS) return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile(
      'dbus-send',
      ['--session', '--print-reply', ...args],
      { env, timeout: TIMEOUT_MS },
      (err, stdout) => resolve(err ? null : String(stdout)),
    );
  });
}

/** Whether some client owns `name` on the session bus. */
export async function busNameHasOwner(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean | null> {
  const out = await dbusSend(
    [
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      `string:${name}`,
    ],
    env,
  );
  if (out === null) return null;
  return /boolean true/.test(out);
}

/** The notification server's GetCapabilities ("actions", "body", …). */
export async function notificationCapabilities(
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[] | null> {
  const out = await dbusSend(
    [
      '--dest=org.freedesktop.Notifications',
      '/org/freedesktop/Notifications',
      'org.freedesktop.Notifications.GetCapabilities',
    ],
    env,
  );
  if (out === null) return null;
  return [...out.matchAll(/string "([^"]*)"/g)].map((m) => m[1] ?? '');
}
