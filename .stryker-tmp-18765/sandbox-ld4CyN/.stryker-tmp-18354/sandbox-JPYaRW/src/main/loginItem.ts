// @ts-nocheck
// 
// "Start at login". Electron's login-item API covers only macOS and Windows; on Linux the
// desktop session reads XDG autostart entries instead. Everything here takes its
// environment as arguments and never imports electron, so it runs (and is tested) under
// plain Node: the main process passes app.setLoginItemSettings / getLoginItemSettings in.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  execPath: string;
  /** process.env.APPIMAGE when packaged as an AppImage. */
  appImagePath?: string;
  setLoginItemSettings?: (s: {
    openAtLogin: boolean;
    openAsHidden?: boolean;
    args?: string[];
  }) => void;
  /**
   * Windows only reports openAtLogin when given the same args the item was registered with,
   * so this is called with them; app.getLoginItemSettings fits as is.
   */
  getLoginItemSettings?: (options?: { args?: string[] }) => { openAtLogin: boolean };
}

const DESKTOP_FILE = 'cmdop-scheduler.desktop';
/** The flag the main process reads to stay in the tray instead of opening its window. */
export const HIDDEN_ARG = '--hidden';

/** Where this user's autostart entry lives, per the XDG Base Directory spec. */
export function autostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const configured = env.XDG_CONFIG_HOME;
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored, like an empty one.
  const configHome = configured && isAbsolute(configured) ? configured : join(home, '.config');
  return join(configHome, 'autostart', DESKTOP_FILE);
}

// Desktop Entry spec, "The Exec key": an argument holding any of these must be quoted.
const RESERVED = /[ \t\n"'\\><~|&;$*?#()`]/;

/** One Exec argument, quoted per the Desktop Entry spec and escaped as a string value. */
function execArg(arg: string): string {
  const quoted = RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, '\\$&')}"` : arg;
  // A lone % would start a field code (%f, %u, …) that the launcher expands.
  const noFieldCodes = quoted.replace(/%/g, '%%');
  // The string-value escapes are undone before the quoting rules apply, so they go on last:
  // that is why a literal backslash inside quotes ends up as four backslashes in the file.
  return noFieldCodes
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r');
}

/** The XDG autostart entry that launches `exec` straight into the tray. */
export function desktopEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Cmdop Scheduler',
    'Comment=Run scheduled shell commands from the system tray',
    `Exec=${execArg(exec)} ${HIDDEN_ARG}`,
    'Icon=cmdop-scheduler',
    'Terminal=false',
    'Categories=Utility;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function usesXdgAutostart(platform: NodeJS.Platform): boolean {
  // Electron's login-item API exists only on macOS and Windows; every other desktop it
  // runs on follows the XDG autostart spec.
  return platform !== 'darwin' && platform !== 'win32';
}

function launcherPath(deps: LoginItemDeps): string {
  // Inside an AppImage, execPath points into a mount that gets a new random name on every
  // launch; only the AppImage file itself survives a reboot.
  return deps.appImagePath || deps.execPath;
}

/** Write `content` so a reader sees the old file or the new one, never half of one. */
function writeFileAtomic(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  // A dot-name without the .desktop suffix, so a session scanning the directory mid-write
  // neither runs nor lists it.
  const tmp = join(dirname(path), `.${DESKTOP_FILE}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // openSync's mode is filtered through the umask; the entry must be readable regardless.
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file may never have been created; the original error is what matters.
    }
    throw err;
  }
}

export function setStartAtLogin(enabled: boolean, deps: LoginItemDeps): void {
  if (usesXdgAutostart(deps.platform)) {
    const path = autostartPath(deps.env, deps.home);
    if (enabled) writeFileAtomic(path, desktopEntry(launcherPath(deps)), 0o644);
    else rmSync(path, { force: true });
    return;
  }
  if (!deps.setLoginItemSettings) {
    throw new Error(`setStartAtLogin on ${deps.platform} needs setLoginItemSettings`);
  }
  // args reach the app only on Windows; macOS login items start without a window anyway.
  // openAsHidden is for macOS releases that still honour it (Electron 45's typings dropped it).
  deps.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: [HIDDEN_ARG] });
}

/** The keys of the [Desktop Entry] group, or undefined when the file is not a desktop entry. */
function desktopEntryKeys(text: string): Map<string, string> | undefined {
  const keys = new Map<string, string>();
  let group: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      group = header[1];
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || group === undefined) return undefined;
    if (group === 'Desktop Entry') keys.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return group === undefined ? undefined : keys;
}

export function getStartAtLogin(deps: LoginItemDeps): boolean {
  if (usesXdgAutostart(deps.platform)) {
    let text: string;
    try {
      text = readFileSync(autostartPath(deps.env, deps.home), 'utf8');
    } catch {
      return false;
    }
    const keys = desktopEntryKeys(text);
    // Desktop settings panels switch an entry off by editing it rather than deleting it.
    return (
      keys !== undefined &&
      keys.has('Exec') &&
      keys.get('Hidden') !== 'true' &&
      keys.get('X-GNOME-Autostart-enabled') !== 'false'
    );
  }
  return deps.getLoginItemSettings?.({ args: [HIDDEN_ARG] }).openAtLogin ?? false;
}
