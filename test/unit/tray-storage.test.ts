// When the app cannot save, the tray says so where the eye goes: the failed icon, the
// reason first in the menu and the tooltip; all of it gone when writes work again.
import { describe, expect, it } from 'vitest';
import { buildTrayModel, type TrayState } from '../../src/main/trayModel';

const base: TrayState = {
  schedules: [],
  running: [],
  paused: false,
  muted: false,
  failedSinceSeen: false,
};
const NOW = Date.parse('2026-03-01T10:00:00Z');

describe('the tray and a storage problem', () => {
  it('shows the failed icon, the reason first in the menu (not clickable) and in the tooltip', () => {
    const problem =
      'cannot write /data/config.json: no space left on the device (ENOSPC); 0 bytes free';
    const model = buildTrayModel({ ...base, storageProblem: problem }, NOW);
    expect(model.icon).toBe('failed');
    expect(model.menu[0]).toMatchObject({ enabled: false });
    expect(model.menu[0]?.label).toMatch(/^Cannot save: cannot write \/data\/config\.json/);
    expect(model.menu[1]).toEqual({ type: 'separator' });
    expect(model.tooltip).toMatch(/cannot save/);
  });

  it('is back to normal once the problem clears', () => {
    const model = buildTrayModel({ ...base, storageProblem: null }, NOW);
    expect(model.icon).toBe('idle');
    expect(model.menu[0]?.label ?? '').not.toMatch(/Cannot save/);
    expect(model.tooltip).not.toMatch(/cannot save/);
  });
});
