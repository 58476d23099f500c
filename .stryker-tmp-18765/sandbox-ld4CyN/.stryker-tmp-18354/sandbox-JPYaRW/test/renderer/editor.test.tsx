// @ts-nocheck
// 
// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/errors';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';
import { EditorDialog } from '../../src/renderer/src/views/editor/EditorDialog';
import {
  errorText,
  field,
  fillRequired,
  MACHINES,
  nextRuns,
  saveButton,
  SCHEDULE,
  setup,
} from './editor-fixtures';

afterEach(cleanup);

describe('EditorDialog: create', () => {
  it('is an accessible modal with focus on Name', () => {
    setup();
    const dialog = screen.getByRole('dialog', { name: 'New schedule' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(field('Name'));
    for (const label of [
      'Description',
      'Machine',
      'Command',
      'Cron',
      'Time zone',
      'Timeout',
      'Notify on success',
      'Notify on failure',
      'Overlap',
      'Catch up',
      'Working directory',
      'Environment',
      'Enabled',
    ]) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
    expect(field('Command').tagName).toBe('TEXTAREA');
    expect(field('Time zone').value).toBe('America/New_York');
    expect(field('Notify on failure').checked).toBe(true);
    expect(field('Notify on success').checked).toBe(false);
    expect(field('Enabled').checked).toBe(true);
    const machineSelect = field('Machine') as unknown as HTMLSelectElement;
    expect([...machineSelect.options].map((o) => o.textContent)).toEqual([
      'Workstation (this machine)',
      'Build box',
    ]);
    expect(machineSelect.disabled).toBe(false);
    expect(screen.getByText('Run once after the app was off at a fire time')).toBeTruthy();
    expect(screen.getByText('seconds')).toBeTruthy();
    // Nothing touched yet: no errors shown, but Save waits for the required fields.
    expect(errorText('name')).toBeUndefined();
    expect(saveButton().disabled).toBe(true);
  });

  it('fills the form, previews the cron while typing and saves the full body', async () => {
    const { user, onSave, onClose } = setup();
    await fillRequired(user);
    await user.type(field('Description'), 'Home to NAS');
    await user.selectOptions(field('Machine'), 'Build box');

    expect(screen.getByText('At 09:00')).toBeTruthy();
    await user.clear(field('Cron'));
    await user.type(field('Cron'), '0 3 * *');
    // Four fields so far: the field says what is wrong and the preview is gone.
    expect(errorText('cron')).toBe('expected 5 or 6 fields, got 4');
    expect(screen.queryByRole('list', { name: 'Next runs' })).toBeNull();
    await user.type(field('Cron'), ' *');
    expect(errorText('cron')).toBeUndefined();
    expect(screen.getByText('At 03:00')).toBeTruthy();
    expect(await nextRuns()).toEqual([
      'Mon, Nov 30, 03:00 EST',
      'Tue, Dec 1, 03:00 EST',
      'Wed, Dec 2, 03:00 EST',
      'Thu, Dec 3, 03:00 EST',
      'Fri, Dec 4, 03:00 EST',
    ]);

    await user.type(field('Timeout'), '90');
    await user.click(field('Notify on success'));
    await user.selectOptions(field('Overlap'), 'Run in parallel');
    await user.click(field('Catch up'));
    await user.type(field('Working directory'), '/srv/backup');
    await user.click(screen.getByRole('button', { name: 'Add variable' }));
    await user.type(screen.getByLabelText('Variable 1 name'), 'TARGET');
    await user.type(screen.getByLabelText('Variable 1 value'), 'nas');

    expect(saveButton().disabled).toBe(false);
    await user.click(saveButton());
    expect(onSave).toHaveBeenCalledTimes(1);
    expect(onSave.mock.calls[0]?.[0]).toEqual({
      name: 'Backup',
      description: 'Home to NAS',
      machine_id: 'mach_far',
      command: 'backup.sh',
      cron: '0 3 * * *',
      timezone: 'America/New_York',
      timeout: 90_000,
      notify: { on_success: true, on_failure: true },
      overlap: 'allow',
      catch_up: true,
      cwd: '/srv/backup',
      env: { TARGET: 'nas' },
      enabled: true,
      // A new schedule runs in a login shell, with the user's PATH.
      ...POLICY_DEFAULTS,
      shell: 'login',
    });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('sends defaults for the untouched fields', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toEqual({
      name: 'Backup',
      description: '',
      machine_id: 'mach_local',
      command: 'backup.sh',
      cron: '0 9 * * *',
      timezone: 'America/New_York',
      timeout: null,
      notify: { on_success: false, on_failure: true },
      overlap: 'skip',
      catch_up: false,
      cwd: null,
      env: {},
      enabled: true,
      ...POLICY_DEFAULTS,
      shell: 'login',
    });
  });

  it('shows a bad cron under Cron, disables Save and submits nothing', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    await user.clear(field('Cron'));
    await user.type(field('Cron'), '61 * * * *');
    expect(errorText('cron')).toBe('minute must be 0-59, got 61');
    const cron = field('Cron');
    expect(cron.getAttribute('aria-invalid')).toBe('true');
    expect(cron.getAttribute('aria-describedby')).toContain('cron-error');
    expect(screen.queryByRole('list', { name: 'Next runs' })).toBeNull();
    expect(saveButton().disabled).toBe(true);
    await user.click(saveButton());
    // Enter in a field must not sneak a submit past the disabled button either.
    fireEvent.submit(field('Name').form as HTMLFormElement);
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByText('To save, fix: Cron')).toBeTruthy();
  });

  it('reports a blank name once the field was touched', async () => {
    const { user } = setup();
    await user.type(field('Name'), '  ');
    expect(errorText('name')).toBeUndefined();
    await user.tab();
    expect(errorText('name')).toBe('must not be blank');
    expect(field('Name').getAttribute('aria-invalid')).toBe('true');
    expect(field('Name').getAttribute('aria-describedby')).toBe('name-error');
    await user.type(field('Name'), 'ok');
    expect(errorText('name')).toBeUndefined();
  });

  it('reports an unknown time zone and timeouts out of range', async () => {
    const { user } = setup();
    await fillRequired(user);
    await user.clear(field('Time zone'));
    await user.type(field('Time zone'), 'Mars/Base');
    await user.tab();
    expect(errorText('timezone')).toBe("unknown time zone 'Mars/Base'");
    expect(saveButton().disabled).toBe(true);
    await user.clear(field('Time zone'));
    await user.type(field('Time zone'), 'Australia/Lord_Howe');
    expect(errorText('timezone')).toBeUndefined();

    await user.type(field('Timeout'), '0');
    await user.tab();
    expect(errorText('timeout')).toBe(
      'must be 1 to 604800 seconds (7 days), or empty for no limit',
    );
    await user.clear(field('Timeout'));
    await user.type(field('Timeout'), 'soon');
    expect(errorText('timeout')).toMatch(/seconds/);
    expect(saveButton().disabled).toBe(true);
    await user.clear(field('Timeout'));
    expect(errorText('timeout')).toBeUndefined();
    expect(saveButton().disabled).toBe(false);
  });

  it('puts a server validation error under its field', async () => {
    const { user, onSave, onClose } = setup();
    onSave.mockRejectedValueOnce(
      ApiError.invalid({ cron: 'expected 5 or 6 fields, got 7' }, 'schedule'),
    );
    await fillRequired(user);
    await user.click(saveButton());
    expect(onSave).toHaveBeenCalledTimes(1);
    expect(errorText('cron')).toBe('expected 5 or 6 fields, got 7');
    expect(field('Cron').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
    expect(saveButton().textContent).toBe('Save');
    // Editing the field withdraws the server's complaint about the old value.
    await user.type(field('Cron'), ' ');
    expect(errorText('cron')).toBeUndefined();
  });

  it('shows fields the form lacks and other errors in an alert', async () => {
    const { user, onSave } = setup();
    onSave.mockRejectedValueOnce(ApiError.invalid({ colour: 'is not a known field' }, 'schedule'));
    await fillRequired(user);
    await user.click(saveButton());
    expect(screen.getByRole('alert').textContent).toContain('colour is not a known field');

    onSave.mockRejectedValueOnce(
      new ApiError('upstream_unavailable', 'The Cmdop server could not be reached'),
    );
    await user.click(saveButton());
    expect(screen.getByRole('alert').textContent).toBe('The Cmdop server could not be reached');
    expect(onSave).toHaveBeenCalledTimes(2);
  });

  it('says Saving… and stays disabled until onSave settles', async () => {
    let finish: () => void = () => {};
    const { user, onSave, onClose } = setup();
    onSave.mockImplementationOnce(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    await fillRequired(user);
    await user.click(saveButton());
    expect(saveButton().textContent).toBe('Saving…');
    expect(saveButton().getAttribute('aria-disabled')).toBe('true');
    // Still focusable, so the keyboard user is not dropped onto the page.
    expect(document.activeElement).toBe(saveButton());
    await user.click(saveButton());
    expect(onSave).toHaveBeenCalledTimes(1);
    await act(async () => finish());
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('fills the cron from presets', async () => {
    const { user } = setup();
    const preset = screen.getByLabelText('Preset') as HTMLSelectElement;
    // The default expression is recognised as a preset.
    expect(preset.value).toBe('daily');
    await user.selectOptions(preset, 'Every 5 minutes');
    expect(field('Cron').value).toBe('*/5 * * * *');
    expect(screen.getByText('Every 5 minutes', { selector: 'p' })).toBeTruthy();
    await user.selectOptions(preset, 'Hourly');
    expect(field('Cron').value).toBe('0 * * * *');
    await user.selectOptions(preset, 'Weekly');
    expect(field('Cron').value).toBe('0 9 * * 1');
    await user.selectOptions(preset, 'Daily at…');
    expect(field('Cron').value).toBe('0 9 * * *');
    fireEvent.change(screen.getByLabelText('Preset time'), { target: { value: '14:30' } });
    expect(field('Cron').value).toBe('30 14 * * *');
    await user.selectOptions(preset, 'Weekdays at…');
    expect(field('Cron').value).toBe('30 14 * * 1-5');
    expect(screen.getByText('At 14:30, Monday through Friday')).toBeTruthy();
    await user.type(field('Cron'), ',6');
    expect(preset.value).toBe('');
    expect(screen.queryByLabelText('Preset time')).toBeNull();
  });

  it('adds and removes environment rows', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    const add = screen.getByRole('button', { name: 'Add variable' });
    await user.click(add);
    await user.click(add);
    await user.click(add);
    await user.type(screen.getByLabelText('Variable 1 name'), 'FOO');
    await user.type(screen.getByLabelText('Variable 1 value'), 'one');
    await user.type(screen.getByLabelText('Variable 2 name'), 'BAR');
    await user.type(screen.getByLabelText('Variable 2 value'), 'two=2');
    // The third row stays empty and is ignored.
    await user.click(screen.getByRole('button', { name: 'Remove variable FOO' }));
    expect(screen.queryByDisplayValue('FOO')).toBeNull();
    expect((screen.getByLabelText('Variable 1 name') as HTMLInputElement).value).toBe('BAR');
    expect(screen.getByRole('button', { name: 'Remove variable 2' })).toBeTruthy();
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toMatchObject({ env: { BAR: 'two=2' } });
  });

  it('reports an invalid variable name under Environment', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    await user.click(screen.getByRole('button', { name: 'Add variable' }));
    await user.type(screen.getByLabelText('Variable 1 name'), '1FOO');
    await user.tab();
    expect(errorText('env')).toBe(
      '1FOO: must be a variable name (letters, digits, _; not starting with a digit)',
    );
    const group = screen.getByRole('group', { name: 'Environment' });
    expect(group.getAttribute('aria-invalid')).toBe('true');
    expect(group.getAttribute('aria-describedby')).toBe('env-error');
    expect(screen.getByLabelText('Variable 1 name').getAttribute('aria-invalid')).toBe('true');
    expect(saveButton().disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Add variable' }));
    await user.type(screen.getByLabelText('Variable 2 name'), '1FOO');
    expect(errorText('env')).toBe('1FOO: is set more than once');
    const removes = screen.getAllByRole('button', { name: 'Remove variable 1FOO' });
    expect(removes).toHaveLength(2);
    await user.click(removes[1] as HTMLElement);
    expect(errorText('env')).toMatch(/^1FOO: must be a variable name/);
    await user.click(screen.getByRole('button', { name: 'Remove variable 1FOO' }));
    expect(errorText('env')).toBeUndefined();
    await user.click(saveButton());
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('picks this machine when the machine list arrives late', async () => {
    const { user, onSave, rerender, props } = setup({ machines: [] });
    expect(field('Machine').value).toBe('');
    rerender(<EditorDialog {...props} machines={MACHINES} />);
    expect(field('Machine').value).toBe('mach_local');
    await fillRequired(user);
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toMatchObject({ machine_id: 'mach_local' });
  });

  it('closes on Escape and on Cancel', async () => {
    const { user, onClose } = setup();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('keeps Tab inside the dialog and gives focus back on close', async () => {
    const outside = document.createElement('button');
    outside.textContent = 'Opener';
    document.body.append(outside);
    outside.focus();
    try {
      const { user, unmount } = setup();
      expect(document.activeElement).toBe(field('Name'));
      await fillRequired(user);
      saveButton().focus();
      await user.tab();
      expect(document.activeElement).toBe(field('Name'));
      await user.tab({ shift: true });
      expect(document.activeElement).toBe(saveButton());
      unmount();
      expect(document.activeElement).toBe(outside);
    } finally {
      outside.remove();
    }
  });
});

describe('EditorDialog: edit', () => {
  it('prefills from the schedule and locks the machine', async () => {
    setup({ mode: 'edit', initial: SCHEDULE });
    expect(screen.getByRole('dialog', { name: 'Edit schedule' })).toBeTruthy();
    expect(field('Name').value).toBe('Nightly backup');
    expect(field('Description').value).toBe('Copies home to the NAS');
    expect(field('Command').value).toBe('backup.sh --all');
    expect(field('Cron').value).toBe('0 3 * * *');
    expect(field('Time zone').value).toBe('Europe/London');
    expect(field('Timeout').value).toBe('90');
    expect(field('Working directory').value).toBe('/srv/backup');
    expect((screen.getByLabelText('Variable 1 name') as HTMLInputElement).value).toBe('TARGET');
    expect((screen.getByLabelText('Variable 2 value') as HTMLInputElement).value).toBe('2');
    const machineSelect = field('Machine') as unknown as HTMLSelectElement;
    expect(machineSelect.disabled).toBe(true);
    expect(machineSelect.value).toBe('mach_local');
    expect((await nextRuns())[0]).toBe('Mon, Nov 30, 03:00 GMT');
    // Nothing changed yet, so there is nothing to save.
    expect(saveButton().disabled).toBe(true);
  });

  it('sends only the changed fields', async () => {
    const { user, onSave, onClose } = setup({ mode: 'edit', initial: SCHEDULE });
    await user.clear(field('Cron'));
    await user.type(field('Cron'), '0 4 * * *');
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toEqual({ cron: '0 4 * * *' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('converts the changed timeout, notify and env for the patch', async () => {
    const { user, onSave } = setup({ mode: 'edit', initial: SCHEDULE });
    await user.clear(field('Timeout'));
    await user.type(field('Timeout'), '1.5');
    await user.click(field('Notify on success'));
    await user.click(screen.getByRole('button', { name: 'Remove variable LEVEL' }));
    await user.click(field('Enabled'));
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toEqual({
      timeout: 1500,
      notify: { on_success: true, on_failure: true },
      env: { TARGET: 'nas' },
      enabled: false,
    });
  });

  it('validates the changes with the patch schema', async () => {
    const { user, onSave } = setup({ mode: 'edit', initial: SCHEDULE });
    await user.clear(field('Command'));
    await user.tab();
    expect(errorText('command')).toBe('must not be blank');
    await user.clear(field('Working directory'));
    await user.type(field('Working directory'), 'relative/dir');
    await user.tab();
    expect(errorText('cwd')).toBe('must be an absolute path');
    expect(saveButton().disabled).toBe(true);
    expect(onSave).not.toHaveBeenCalled();
    // Clearing the directory means "home" and sends null.
    await user.clear(field('Working directory'));
    await user.type(field('Command'), 'other.sh');
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toEqual({ command: 'other.sh', cwd: null });
  });
});
