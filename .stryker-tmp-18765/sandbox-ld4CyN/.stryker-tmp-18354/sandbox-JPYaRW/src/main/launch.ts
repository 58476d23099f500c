// @ts-nocheck
// 
// Whether a launch opens the window. A person who starts the app wants to see it; the login
// item starts it with --hidden to sit in the tray. Where the desktop has no tray area (stock
// GNOME), a hidden app would be invisible, so the window opens anyway.
import { HIDDEN_ARG } from './loginItem';

export interface LaunchFacts {
  argv: readonly string[];
  /** macOS: app.getLoginItemSettings().wasOpenedAtLogin (login items there take no args). */
  openedAtLogin: boolean;
  trayAvailable: boolean;
}

export type LaunchPlan =
  | { openWindow: true; why: 'launched by you' | 'no tray area on this desktop' }
  | { openWindow: false; why: 'started at login' };

export function launchPlan(facts: LaunchFacts): LaunchPlan {
  const atLogin = facts.openedAtLogin || facts.argv.includes(HIDDEN_ARG);
  if (!atLogin) return { openWindow: true, why: 'launched by you' };
  if (!facts.trayAvailable) return { openWindow: true, why: 'no tray area on this desktop' };
  return { openWindow: false, why: 'started at login' };
}
