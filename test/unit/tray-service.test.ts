import { describe, it, expect, vi } from 'vitest';
import {
  TrayService,
  toMenuTemplate,
  type TrayFactory,
  type TrayHandle,
} from '../../src/main/tray';
import type { TrayAction, TrayMenuItem, TrayModel } from '../../src/main/trayModel';

type Call =
  | ['create', string]
  | ['setImage', string]
  | ['setToolTip', string]
  | ['setContextMenu', TrayMenuItem[]]
  | ['destroy'];

/** Records every call; `click` plays the user choosing an item in the last menu set. */
function fakeFactory() {
  const calls: Call[] = [];
  let onAction: ((a: TrayAction) => void) | null = null;
  let menu: TrayMenuItem[] = [];
  let shown: (() => void) | null = null;
  const factory: TrayFactory = {
    create(icon) {
      calls.push(['create', icon]);
      const handle: TrayHandle = {
        setImage: (i) => calls.push(['setImage', i]),
        setToolTip: (t) => calls.push(['setToolTip', t]),
        setContextMenu: (m, handler) => {
          calls.push(['setContextMenu', m]);
          menu = m;
          onAction = handler;
        },
        onMenuShown: (listener) => {
          shown = listener;
        },
        destroy: () => calls.push(['destroy']),
      };
      return handle;
    },
  };
  const click = (label: string) => {
    const search = (items: TrayMenuItem[]): TrayMenuItem | undefined => {
      for (const item of items) {
        if (item.label === label) return item;
        const inner = item.submenu && search(item.submenu);
        if (inner) return inner;
      }
      return undefined;
    };
    const item = search(menu);
    if (!item?.action || !onAction) throw new Error(`cannot click "${label}"`);
    onAction(item.action);
  };
  const openMenu = () => shown?.();
  return { factory, calls, click, openMenu };
}

function model(patch: Partial<TrayModel> = {}): TrayModel {
  return {
    icon: 'idle',
    tooltip: 'Cmdop Scheduler — no schedules',
    menu: [
      { label: 'Next runs', enabled: false },
      { type: 'separator' },
      {
        label: 'Schedules',
        type: 'submenu',
        submenu: [
          {
            label: 'Backup',
            type: 'submenu',
            submenu: [{ label: 'Run now', action: { kind: 'runNow', scheduleId: 'sch_1' } }],
          },
        ],
      },
      {
        label: 'Pause all schedules',
        type: 'checkbox',
        checked: false,
        action: { kind: 'pause', paused: true },
      },
      { label: 'Quit', action: { kind: 'quit' } },
    ],
    ...patch,
  };
}

describe('TrayService.render', () => {
  it('the first render creates the tray with the icon and sets tooltip and menu', () => {
    const fake = fakeFactory();
    const service = new TrayService({ factory: fake.factory, onAction: () => {} });
    const m = model({ icon: 'running' });
    service.render(m);
    expect(fake.calls).toEqual([
      ['create', 'running'],
      ['setToolTip', m.tooltip],
      ['setContextMenu', m.menu],
    ]);
  });

  it('rendering a new but deep-equal model calls nothing', () => {
    const fake = fakeFactory();
    const service = new TrayService({ factory: fake.factory, onAction: () => {} });
    service.render(model());
    fake.calls.length = 0;
    service.render(model());
    service.render(structuredClone(model()));
    expect(fake.calls).toEqual([]);
  });

  it('changing only the tooltip calls only setToolTip', () => {
    const fake = fakeFactory();
    const service = new TrayService({ factory: fake.factory, onAction: () => {} });
    service.render(model());
    fake.calls.length = 0;
    service.render(model({ tooltip: 'Cmdop Scheduler — paused' }));
    expect(fake.calls).toEqual([['setToolTip', 'Cmdop Scheduler — paused']]);
  });

  it('changing only the icon calls only setImage', () => {
    const fake = fakeFactory();
    const service = new TrayService({ factory: fake.factory, onAction: () => {} });
    service.render(model());
    fake.calls.length = 0;
    service.render(model({ icon: 'failed' }));
    service.render(model({ icon: 'failed' }));
    expect(fake.calls).toEqual([['setImage', 'failed']]);
  });

  it('a change deep inside the menu rebuilds only the menu', () => {
    const fake = fakeFactory();
    const service = new TrayService({ factory: fake.factory, onAction: () => {} });
    service.render(model());
    fake.calls.length = 0;
    const changed = model();
    changed.menu[3] = {
      ...changed.menu[3],
      checked: true,
      action: { kind: 'pause', paused: false },
    };
    service.render(changed);
    expect(fake.calls.map((c) => c[0])).toEqual(['setContextMenu']);
  });

  it('a caller mutating its model after render does not fool the next comparison', () => {
    const fake = fakeFactory();
    const service = new TrayService({ factory: fake.factory, onAction: () => {} });
    const m = model();
    service.render(m);
    fake.calls.length = 0;
    m.tooltip = 'changed in place';
    service.render(m);
    expect(fake.calls).toEqual([['setToolTip', 'changed in place']]);
  });

  it('clicking a menu item calls onAction with its action', () => {
    const fake = fakeFactory();
    const actions: TrayAction[] = [];
    const service = new TrayService({
      factory: fake.factory,
      onAction: (a) => void actions.push(a),
    });
    service.render(model());
    fake.click('Run now');
    fake.click('Pause all schedules');
    fake.click('Quit');
    expect(actions).toEqual([
      { kind: 'runNow', scheduleId: 'sch_1' },
      { kind: 'pause', paused: true },
      { kind: 'quit' },
    ]);
  });

  it('a failing action is reported, not thrown into the native click handler', async () => {
    const fake = fakeFactory();
    const errors: unknown[] = [];
    const service = new TrayService({
      factory: fake.factory,
      onAction: (a) => {
        if (a.kind === 'quit') throw new Error('sync boom');
        return Promise.reject(new Error('async boom'));
      },
      onError: (e) => errors.push(e),
    });
    service.render(model());
    expect(() => fake.click('Quit')).not.toThrow();
    fake.click('Run now');
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(errors.map((e) => (e as Error).message)).toEqual(['sync boom', 'async boom']);
  });

  it('reports the menu opening so "failed since seen" can be cleared', () => {
    const fake = fakeFactory();
    const onMenuShown = vi.fn();
    const service = new TrayService({ factory: fake.factory, onAction: () => {}, onMenuShown });
    service.render(model());
    fake.openMenu();
    expect(onMenuShown).toHaveBeenCalledOnce();
  });

  it('destroy removes the tray and later renders do nothing', () => {
    const fake = fakeFactory();
    const service = new TrayService({ factory: fake.factory, onAction: () => {} });
    service.render(model());
    service.destroy();
    service.render(model({ tooltip: 'late' }));
    service.destroy();
    expect(fake.calls.map((c) => c[0])).toEqual([
      'create',
      'setToolTip',
      'setContextMenu',
      'destroy',
    ]);
  });
});

describe('toMenuTemplate', () => {
  it('maps items to Electron templates, escaping & and wiring clicks', () => {
    const onAction = vi.fn();
    const template = toMenuTemplate(
      [
        { label: 'Next runs', enabled: false },
        { type: 'separator' },
        {
          label: 'Backup & restore',
          type: 'submenu',
          submenu: [{ label: 'Run now', action: { kind: 'runNow', scheduleId: 's1' } }],
        },
        {
          label: 'Mute notifications',
          type: 'checkbox',
          checked: true,
          action: { kind: 'mute', muted: false },
        },
      ],
      onAction,
    );
    expect(template[0]).toEqual({ label: 'Next runs', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    expect(template[2].label).toBe('Backup && restore');
    expect(template[2].type).toBe('submenu');
    expect(template[3]).toMatchObject({ type: 'checkbox', checked: true });
    const sub = template[2].submenu;
    if (!Array.isArray(sub)) throw new Error('submenu should be a template array');
    type Click = (...args: unknown[]) => void;
    (sub[0].click as Click)();
    (template[3].click as Click)();
    expect(onAction.mock.calls).toEqual([
      [{ kind: 'runNow', scheduleId: 's1' }],
      [{ kind: 'mute', muted: false }],
    ]);
    expect(template[0].click).toBeUndefined();
  });
});
