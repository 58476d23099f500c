// @ts-nocheck
// 
// The tray icon itself. The platform objects come in through a factory so the service's
// change tracking runs under Node in tests; only electronTrayFactory touches Electron, and
// only through objects it is given (the runtime cannot load here).
import type {
  Menu as ElectronMenu,
  MenuItemConstructorOptions,
  NativeImage,
  Tray as ElectronTray,
  nativeImage as electronNativeImage,
} from 'electron';
import { isTemplateIcon } from './trayIcons';
import { sameData } from './trayModel';
import type { TrayAction, TrayIconState, TrayMenuItem, TrayModel } from './trayModel';

export interface TrayHandle {
  setImage(icon: TrayIconState): void;
  setToolTip(text: string): void;
  setContextMenu(menu: TrayMenuItem[], onAction: (a: TrayAction) => void): void;
  /** Where the platform reports it: the menu is about to open (the user "looked"). */
  onMenuShown?(listener: () => void): void;
  destroy(): void;
}

export interface TrayFactory {
  create(icon: TrayIconState): TrayHandle;
}

export interface TrayServiceOptions {
  factory: TrayFactory;
  onAction(action: TrayAction): void | Promise<void>;
  /** Lets the owner clear "failed since seen" when the menu is opened. */
  onMenuShown?(): void;
  /** A failing action must not escape into a native click handler, where it would crash main. */
  onError?(error: unknown, action: TrayAction): void;
}

export class TrayService {
  private handle: TrayHandle | null = null;
  private last: TrayModel | null = null;
  private destroyed = false;
  private readonly options: TrayServiceOptions;

  constructor(options: TrayServiceOptions) {
    this.options = options;
  }

  /**
   * Applies only what differs from the last rendered model: rebuilding a native menu is
   * costly and closes it if open, and callers re-render on every engine event and tick.
   */
  render(model: TrayModel): void {
    if (this.destroyed) return;
    if (this.handle === null || this.last === null) {
      // Creating the tray needs an image, so the first icon comes with create().
      const handle = this.options.factory.create(model.icon);
      this.handle = handle;
      const { onMenuShown } = this.options;
      if (onMenuShown) handle.onMenuShown?.(() => onMenuShown());
      handle.setToolTip(model.tooltip);
      handle.setContextMenu(model.menu, this.dispatch);
      this.last = copyModel(model);
      return;
    }
    const last = this.last;
    if (model.icon !== last.icon) this.handle.setImage(model.icon);
    if (model.tooltip !== last.tooltip) this.handle.setToolTip(model.tooltip);
    if (!sameData(model.menu, last.menu)) this.handle.setContextMenu(model.menu, this.dispatch);
    // A copy, so a caller mutating its model afterwards cannot make the next diff lie.
    this.last = copyModel(model);
  }

  destroy(): void {
    this.destroyed = true;
    this.handle?.destroy();
    this.handle = null;
    this.last = null;
  }

  private readonly dispatch = (action: TrayAction): void => {
    const report = (error: unknown): void => {
      if (this.options.onError) this.options.onError(error, action);
      else console.error('tray action failed', action, error);
    };
    try {
      const result = this.options.onAction(action);
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  };
}

function copyModel(model: TrayModel): TrayModel {
  return structuredClone(model);
}

export interface ElectronTrayRuntime {
  Tray: typeof ElectronTray;
  Menu: typeof ElectronMenu;
  nativeImage: typeof electronNativeImage;
}

/** Electron reads a single `&` as a mnemonic marker and drops it; `&&` shows one. */
function escapeLabel(label: string): string {
  return label.replace(/&/g, '&&');
}

export function toMenuTemplate(
  items: TrayMenuItem[],
  onAction: (a: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const options: MenuItemConstructorOptions = {};
    if (item.label !== undefined) options.label = escapeLabel(item.label);
    if (item.type !== undefined) options.type = item.type;
    if (item.enabled !== undefined) options.enabled = item.enabled;
    if (item.checked !== undefined) options.checked = item.checked;
    if (item.submenu !== undefined) options.submenu = toMenuTemplate(item.submenu, onAction);
    const action = item.action;
    if (action !== undefined) options.click = () => onAction(action);
    return options;
  });
}

export function electronTrayFactory(
  electron: ElectronTrayRuntime,
  iconPath: (state: TrayIconState) => string,
  platform: NodeJS.Platform = process.platform,
): TrayFactory {
  const images = new Map<TrayIconState, NativeImage>();
  const image = (state: TrayIconState): NativeImage => {
    let img = images.get(state);
    if (img === undefined) {
      img = electron.nativeImage.createFromPath(iconPath(state));
      if (isTemplateIcon(state, platform)) img.setTemplateImage(true);
      images.set(state, img);
    }
    return img;
  };

  return {
    create(icon: TrayIconState): TrayHandle {
      const tray = new electron.Tray(image(icon));
      const shownListeners: Array<() => void> = [];
      return {
        setImage: (state) => tray.setImage(image(state)),
        setToolTip: (text) => tray.setToolTip(text),
        setContextMenu: (menu, onAction) => {
          const built = electron.Menu.buildFromTemplate(toMenuTemplate(menu, onAction));
          built.on('menu-will-show', () => {
            for (const listener of shownListeners) listener();
          });
          tray.setContextMenu(built);
        },
        onMenuShown: (listener) => {
          shownListeners.push(listener);
        },
        destroy: () => tray.destroy(),
      };
    },
  };
}
