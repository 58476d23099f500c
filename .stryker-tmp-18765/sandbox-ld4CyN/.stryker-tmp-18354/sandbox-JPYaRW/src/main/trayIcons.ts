// @ts-nocheck
// 
// Which PNG in resources/ stands for which tray state. Kept apart from tray.ts so the mapping
// is tested under Node against the files scripts/make-icons.mjs actually writes.
import type { TrayIconState } from './trayModel';

export const TRAY_ICON_FILES: Record<TrayIconState, string> = {
  idle: 'tray-idle.png',
  running: 'tray-running.png',
  failed: 'tray-failed.png',
};

/**
 * The macOS menu bar tints template images for light, dark and highlighted bars; only the
 * idle icon can be one, because running and failed need their colour to mean anything.
 */
export const MAC_TEMPLATE_ICON_FILE = 'trayTemplate.png';

/** Every file the app loads names its 1× image; nativeImage finds the `@2x` sibling itself. */
export function trayIconFile(state: TrayIconState, platform: NodeJS.Platform): string {
  return platform === 'darwin' && state === 'idle'
    ? MAC_TEMPLATE_ICON_FILE
    : TRAY_ICON_FILES[state];
}

export function isTemplateIcon(state: TrayIconState, platform: NodeJS.Platform): boolean {
  return trayIconFile(state, platform) === MAC_TEMPLATE_ICON_FILE;
}
