// @ts-nocheck
// 
// Whether this desktop shows tray icons. macOS and Windows always do. On Linux Electron's
// Tray is a StatusNotifierItem, shown where a StatusNotifierWatcher owns its bus name (KDE,
// and GNOME only with the AppIndicator extension), with an XEmbed icon as fallback on
// desktops that still have such a tray. Stock GNOME has neither: an icon made there is
// invisible and so would be the app.
import { busNameHasOwner } from '../core/dbus';

const WATCHER = 'org.kde.StatusNotifierWatcher';

/** Desktops with an XEmbed or StatusNotifier tray of their own ($XDG_CURRENT_DESKTOP names). */
const DESKTOPS_WITH_TRAY = [
  'kde',
  'xfce',
  'mate',
  'x-cinnamon',
  'cinnamon',
  'lxde',
  'lxqt',
  'budgie',
  'unity',
  'deepin',
  'pantheon',
  'enlightenment',
  'i3',
  'sway',
];

export interface TrayAreaDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Whether a name is owned on the session bus; null when the bus cannot be asked. */
  nameHasOwner?: (name: string) => Promise<boolean | null>;
}

export async function trayAreaAvailable(deps: TrayAreaDeps): Promise<boolean> {
  if (deps.platform === 'darwin' || deps.platform === 'win32') return true;
  const ask = deps.nameHasOwner ?? ((name: string) => busNameHasOwner(name, deps.env));
  if ((await ask(WATCHER)) === true) return true;
  const desktops = (deps.env.XDG_CURRENT_DESKTOP ?? '')
    .toLowerCase()
    .split(':')
    .filter((d) => d !== '');
  // GNOME's own session without the watcher, or an unknown one: better a window than nothing.
  return desktops.some((d) => DESKTOPS_WITH_TRAY.includes(d));
}
