// Clickable notifications on Linux. node-notifier cannot pass notify-send's --action, so a
// notice that has a run to open is sent by running notify-send ourselves with a default
// action — when the notification server says it supports actions (dunst, GNOME Shell, KDE
// do; some minimal servers do not). notify-send then waits, prints the action's name when
// the notice is clicked, and exits when it is closed or expires.
import { spawn, type ChildProcess } from 'node:child_process';
import { notificationCapabilities } from './dbus';
import {
  describeNotifierError,
  nodeNotifierPort,
  notifierPayload,
  type Notice,
  type NotifierOptions,
  type NotifierPort,
} from './notifications';

/** A notice nobody clicked is let go after this long, so waiting notify-sends do not pile up. */
const WAIT_MAX_MS = 60 * 60_000;

export interface ClickablePort extends NotifierPort {
  /** Ends notify-sends still waiting for a click (the app is quitting). */
  dispose(): void;
}

export function notifySendActionsPort(
  options: NotifierOptions & {
    onClick: (notice: Notice) => void;
    env?: NodeJS.ProcessEnv;
    /** The server's capabilities; asked once, on the first notice. */
    capabilities?: () => Promise<string[] | null>;
  },
): ClickablePort {
  const plain = nodeNotifierPort({ ...options, onClick: undefined });
  const env = options.env ?? process.env;
  const ask = options.capabilities ?? (() => notificationCapabilities(env));
  let actions: Promise<boolean> | null = null;
  const waiting = new Set<ChildProcess>();

  const sendClickable = (notice: Notice) =>
    new Promise<void>((resolve, reject) => {
      const payload = notifierPayload(notice, options);
      const args = ['--action=default=Open', `--app-name=${payload['app-name'] ?? ''}`];
      if (payload.icon) args.push(`--icon=${payload.icon}`);
      args.push(payload.title, payload.message);
      // Stryker disable next-line ArrayDeclaration: notify-send never reads its stdin
      const child = spawn('notify-send', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      waiting.add(child);
      const expire = setTimeout(() => child.kill(), WAIT_MAX_MS);
      expire.unref();
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.once('spawn', () => resolve());
      child.once('error', (err) => reject(new Error(describeNotifierError(err))));
      child.once('close', () => {
        clearTimeout(expire);
        waiting.delete(child);
        // notify-send prints the invoked action's name; closing or expiring prints nothing.
        if (out.split('\n').some((line) => line.trim() === 'default')) options.onClick(notice);
      });
    });

  return {
    async send(notice) {
      // A run opens its page, a summary the list of failures; a notice about the app itself
      // (the disk is full) has nothing to open.
      if (!notice.commandId && !notice.summary) return plain.send(notice);
      actions ??= ask().then((caps) => caps?.includes('actions') ?? false);
      return (await actions) ? sendClickable(notice) : plain.send(notice);
    },
    dispose() {
      for (const child of waiting) child.kill();
      waiting.clear();
    },
  };
}
