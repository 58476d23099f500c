// @ts-nocheck
// 
// @vitest-environment happy-dom
// Import… with a preview, and Settings → Backups with restore, as a user drives them.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppApi } from '../../src/renderer/src/api/types';
import { createAppStore } from '../../src/renderer/src/store/app';
import { fromSnapshot } from '../../src/renderer/src/store/schedules';
import { AppProvider } from '../../src/renderer/src/store/context';
import { ImportDialog } from '../../src/renderer/src/views/ImportDialog';
import { BackupsSettings } from '../../src/renderer/src/views/BackupsSettings';
import type { BackupInfo } from '../../src/shared/backups';
import type { BatchInput } from '../../src/shared/batch';
import type { Machine, Schedule } from '../../src/shared/types';
// The same fixture the crontab unit tests and the CLI tests import.
import crontab from '../fixtures/crontab/user.crontab?raw';

afterEach(cleanup);

const machine: Machine = {
  id: 'mach_here',
  name: 'here',
  status: 'online',
  os: 'linux',
  arch: 'x64',
  hostname: 'here',
  tags: [],
  created_at: '2026-01-01T00:00:00Z',
  last_seen: '2026-01-01T00:00:00Z',
};

const present = {
  id: 'sched_present',
  name: 'Old backup',
  machine_id: 'mach_here',
  cron: '30 2 * * *',
  command: 'pg_dump mydb > /var/backups/db.sql',
} as Schedule;

function mount(ui: React.ReactNode, api: Partial<AppApi>) {
  const store = createAppStore(api as AppApi);
  store.setState({ schedules: fromSnapshot([present]), machines: [machine] });
  render(
    <AppProvider store={store} api={api as AppApi} transport="ipc">
      {ui}
    </AppProvider>,
  );
}

describe('Import…', () => {
  it('previews what a crontab creates, what is already there and which lines are skipped', async () => {
    const createBatch = vi.fn(async (input: BatchInput) =>
      input.items.map((_, i) => ({ id: `sched_${i}` }) as Schedule),
    );
    const onClose = vi.fn();
    mount(<ImportDialog onClose={onClose} />, { createBatch });
    const user = userEvent.setup();
    fireEvent.change(screen.getByLabelText('Crontab or export file'), {
      target: { value: crontab },
    });
    const preview = screen.getByLabelText('Preview');
    expect(preview.textContent).toContain('6 to create · 1 already present · 3 skipped');
    expect(within(preview).getByText('Monthly report')).toBeTruthy();
    expect(within(preview).getByText('already present (sched_present (Old backup))')).toBeTruthy();
    const lines = within(preview).getByLabelText('Lines to read');
    expect(lines.textContent).toContain('Line 23, skipped: @reboot is not supported');
    expect(lines.textContent).toContain('Line 6, note: MAILTO does not apply');

    await user.click(screen.getByRole('button', { name: 'Import 6 schedules' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Imported 6 schedules.'),
    );
    expect(createBatch).toHaveBeenCalledTimes(1);
    const sent = createBatch.mock.calls[0]![0].items;
    expect(sent.map((s) => s.name)).toEqual([
      'Every 15 minutes on weekdays, working hours',
      'Monthly report',
      '/usr/bin/find /tmp -mtime +7 -delete',
      'mail -s "Status" me@example.com',
      'date +%Y-%m-%d >> /tmp/dates.log',
      'echo first-sunday-or-first-week',
    ]);
  });

  it('reads the user column when told it is a system crontab', () => {
    mount(<ImportDialog onClose={() => {}} />, {});
    fireEvent.change(screen.getByLabelText('Crontab or export file'), {
      target: { value: '17 * * * * root run-parts /etc/cron.hourly\n' },
    });
    expect(screen.getByLabelText('Preview').textContent).toContain('root run-parts');
    fireEvent.click(screen.getByLabelText(/System crontab/));
    const preview = screen.getByLabelText('Preview');
    expect(within(preview).getByText('run-parts /etc/cron.hourly')).toBeTruthy();
  });
});

describe('Settings → Backups', () => {
  const backup = (id: string, kind: BackupInfo['kind'], schedules: number): BackupInfo => ({
    id,
    kind,
    created_at: '2026-03-01T08:00:00Z',
    size: 100,
    schedules,
  });

  it('lists backups and restores one after asking', async () => {
    let list = [backup('config-20260301T080000Z-daily.json', 'daily', 3)];
    const restoreBackup = vi.fn(async () => {
      const previous = backup('config-20260302T080000Z-before-restore.json', 'before-restore', 5);
      list = [previous, ...list];
      return { restored: list[1]!, previous, schedules: 3 };
    });
    const empty = { data: [], meta: { total: 0, limit: 100, offset: 0 } };
    const load = {
      list: vi.fn(async () => empty),
      listMachines: async () => empty,
      getSettings: async () => ({}) as never,
    };
    mount(<BackupsSettings />, { listBackups: async () => list, restoreBackup, ...load });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Restore the backup made/ }));
    expect(screen.getByRole('alertdialog').textContent).toContain(
      'The current ones are saved as a backup first.',
    );
    expect(restoreBackup).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Restore' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Restored 3 schedules. The previous state was saved as a backup.',
      ),
    );
    expect(restoreBackup).toHaveBeenCalledWith('config-20260301T080000Z-daily.json');
    expect(await screen.findByText('Before a restore')).toBeTruthy();
    // Schedules and settings changed under the UI: it reads them again.
    expect(load.list).toHaveBeenCalled();
  });
});
