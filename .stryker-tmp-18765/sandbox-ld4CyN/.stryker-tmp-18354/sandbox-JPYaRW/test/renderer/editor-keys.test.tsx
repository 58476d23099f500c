// @ts-nocheck
// 
// @vitest-environment happy-dom
// The editor's keys and focus (Escape in a sub-widget, focus after a failed save, typed
// work) and its cron legend.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { field, fillRequired, saveButton, setup } from './editor-fixtures';

afterEach(cleanup);

describe('EditorDialog: keys and focus', () => {
  it('Escape in the time-zone suggestions closes them, not the editor', async () => {
    const { user, onClose } = setup();
    const zone = field('Time zone');
    await user.clear(zone);
    await user.type(zone, 'new_y');
    const list = screen.getByRole('listbox', { name: 'Time zones' });
    expect(within(list).getByRole('option', { name: 'America/New_York' })).toBeTruthy();
    expect(zone.getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{ArrowDown}');
    expect(zone.getAttribute('aria-activedescendant')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(zone.getAttribute('aria-expanded')).toBe('false');
    expect(onClose).not.toHaveBeenCalled();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('picks a suggested zone with the keyboard without submitting the form', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    const zone = field('Time zone');
    await user.clear(zone);
    await user.type(zone, 'tokyo');
    await user.keyboard('{ArrowDown}{Enter}');
    expect(zone.value).toBe('Asia/Tokyo');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('after a failed save, focus is on the message and Escape still closes', async () => {
    const { user, onSave, onClose } = setup();
    onSave.mockRejectedValueOnce(new Error('scheduler unreachable'));
    await fillRequired(user);
    await user.click(saveButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('scheduler unreachable');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('tells whether closing would lose typed work', async () => {
    const onDirtyChange = vi.fn();
    const { user } = setup({ onDirtyChange });
    expect(onDirtyChange).toHaveBeenLastCalledWith(false);
    await user.type(field('Name'), 'B');
    expect(onDirtyChange).toHaveBeenLastCalledWith(true);
    await user.clear(field('Name'));
    expect(onDirtyChange).toHaveBeenLastCalledWith(false);
  });
});

describe('EditorDialog: the cron legend', () => {
  it('names each field, and says six fields start with seconds', async () => {
    const { user } = setup();
    const cron = field('Cron');
    await user.clear(cron);
    await user.type(cron, '0 9 * * 1-5 *');
    const legend = screen.getByRole('table', { name: 'What each field means' });
    const rows = within(legend)
      .getAllByRole('row')
      .map((r) => r.textContent);
    expect(rows).toEqual([
      'second0second 0',
      'minute9minute 9',
      'hour*every hour',
      'day of month*every day of the month',
      'month1-5January to May',
      'day of week*any day of the week',
    ]);
    expect(
      screen.getByText(/^Six fields are read seconds first: second 0, minute 9, hour \*/),
    ).toBeTruthy();
  });

  it('explains that day of month and day of week together mean either', async () => {
    const { user } = setup();
    const cron = field('Cron');
    await user.clear(cron);
    await user.type(cron, '0 9 13 * 5');
    expect(
      screen.getByText(
        'Day of month and day of week are both set, so it runs on either: day 13, or Friday ' +
          '(cron joins the two with “or”, not “and”).',
      ),
    ).toBeTruthy();
    await user.clear(cron);
    await user.type(cron, '0 9 13 * *');
    expect(screen.queryByText(/both set/)).toBeNull();
  });
});
