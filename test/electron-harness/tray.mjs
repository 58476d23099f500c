// The stand-in's Tray, Menu and nativeImage (https://www.electronjs.org/docs/latest/api/tray,
// .../menu, .../menu-item, .../native-image). The test "clicks" menu items by label path.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { electronEvent, refuseBeforeReady } from './app.mjs';
import { control } from './control.mjs';

const scenario = JSON.parse(process.env.HARNESS_SCENARIO ?? '{}');
const fault = (api) => (scenario.faults ?? []).find((f) => f.throw === api);

export const nativeImage = {
  /** "Creates a new NativeImage instance from a file located at path. This method returns an
   *  empty image if the path does not exist, cannot be read, or is not a valid image." */
  createFromPath(path) {
    const empty = !existsSync(path);
    control.record('nativeImage.createFromPath', { path, empty });
    let template = false;
    return {
      path,
      isEmpty: () => empty,
      setTemplateImage: (value) => (template = value),
      isTemplateImage: () => template,
    };
  },
};

class MenuItem {
  constructor(options, menu) {
    this.menu = menu;
    this.label = options.label ?? '';
    this.type = options.type ?? (options.submenu ? 'submenu' : 'normal');
    // "enabled boolean (optional) - If false, the menu item will be greyed out and unclickable."
    this.enabled = options.enabled ?? true;
    this.checked = options.checked ?? false;
    this.click = options.click;
    this.submenu = options.submenu ? Menu.buildFromTemplate(options.submenu) : null;
  }
  plain() {
    const out = { label: this.label, type: this.type, enabled: this.enabled };
    if (this.type === 'checkbox' || this.type === 'radio') out.checked = this.checked;
    if (this.submenu) out.submenu = this.submenu.items.map((i) => i.plain());
    return out;
  }
}

export class Menu extends EventEmitter {
  static buildFromTemplate(template) {
    const menu = new Menu();
    menu.items = template.map((options) => new MenuItem(options, menu));
    return menu;
  }
  items = [];
}

let current = null;
const setCurrent = (tray) => (current = tray);

export class Tray extends EventEmitter {
  constructor(image) {
    super();
    // Like windows, native tray icons come after ready (the Tray docs create it in whenReady).
    refuseBeforeReady('new Tray()');
    const injected = fault('Tray');
    if (injected) throw new Error(injected.message ?? 'Tray could not be created');
    this.image = image;
    this.tooltip = '';
    this.menu = null;
    this.destroyed = false;
    setCurrent(this);
    control.record('Tray.new', { image: image?.path, empty: image?.isEmpty?.() });
  }
  setImage(image) {
    this.image = image;
    control.record('Tray.setImage', { image: image?.path, empty: image?.isEmpty?.() });
  }
  setToolTip(text) {
    this.tooltip = text;
    control.record('Tray.setToolTip', { text });
  }
  setContextMenu(menu) {
    this.menu = menu;
    control.record('Tray.setContextMenu', { menu: menu?.items.map((i) => i.plain()) ?? null });
  }
  destroy() {
    this.destroyed = true;
    if (current === this) current = null;
    control.record('Tray.destroy');
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export function trayState() {
  if (!current) return null;
  return {
    image: current.image?.path,
    tooltip: current.tooltip,
    menu: current.menu?.items.map((i) => i.plain()) ?? null,
  };
}

/** Opens the context menu ("menu-will-show") as a user would before clicking. */
export function openTrayMenu() {
  if (!current?.menu) throw new Error('the tray has no context menu');
  current.menu.emit('menu-will-show', electronEvent());
}

/** Clicks the item at `path` (labels from the top), as the user would. */
export function clickTrayItem(path) {
  if (!current?.menu) throw new Error('the tray has no context menu');
  openTrayMenu();
  let menu = current.menu;
  let item = null;
  for (const label of path) {
    item = menu?.items.find((i) => i.label === label) ?? null;
    if (!item) throw new Error(`no menu item '${label}' in ${JSON.stringify(path)}`);
    if (!item.enabled) throw new Error(`menu item '${label}' is disabled`);
    menu = item.submenu;
  }
  if (item.submenu) throw new Error(`'${path.at(-1)}' opens a submenu; it has no click`);
  // "A checkbox menu item will toggle the checked property on and off when selected."
  if (item.type === 'checkbox') item.checked = !item.checked;
  control.record('Tray.click', { path });
  // "click(menuItem, window, event)": no window is focused when a tray menu is used.
  item.click?.(item, undefined, { triggeredByAccelerator: false });
}
