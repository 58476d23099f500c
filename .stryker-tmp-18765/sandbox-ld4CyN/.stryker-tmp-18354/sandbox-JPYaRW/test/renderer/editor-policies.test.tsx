// @ts-nocheck
// 
// @vitest-environment happy-dom
// The run policy fields in the editor: each with its description, sent in the API's units,
// the rules shown under the fields in seconds, prefilled for an existing schedule.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { randomDelayOffset } from '../../src/shared/random-delay';
import type { Schedule } from '../../src/shared/types';
import {
  SCHEDULE,
  errorText,
  field,
  fillRequired,
  nextRuns,
  saveButton,
  setup,
} from './editor-fixtures';

afterEach(cleanup);

describe('EditorDialog: run policies', () => {
  it('has each field with its description, and sends them in the API units', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    const shell = field('Shell') as unknown as HTMLSelectElement;
    // New schedules get a login shell; the editor says why in one sentence.
    expect(shell.value).toBe('login');
    expect(document.getElementById('sched-shell-hint')?.textContent).toMatch(
      /^A login shell \(\$SHELL -l -c\) reads your profile/,
    );
    for (const id of ['retries', 'retry_delay', 'retry_backoff', 'random_delay', 'env_file']) {
      expect(document.getElementById(`sched-${id}-hint`)?.textContent, id).toBeTruthy();
    }
    await user.clear(field('Retries'));
    await user.type(field('Retries'), '3');
    await user.clear(field('Retry delay'));
    await user.type(field('Retry delay'), '30');
    await user.clear(field('Backoff'));
    await user.type(field('Backoff'), '1.5');
    await user.clear(field('Random delay'));
    await user.type(field('Random delay'), '300');
    await user.selectOptions(shell, 'plain');
    await user.type(field('Env file'), '/home/me/backup.env');
    fireEvent.change(field('Paused until'), { target: { value: '2026-12-24T18:00' } });
    await user.selectOptions(field('On battery'), 'skip');
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toMatchObject({
      retries: 3,
      retry_delay: 30_000,
      retry_backoff: 1.5,
      random_delay: 300_000,
      shell: 'plain',
      env_file: '/home/me/backup.env',
      paused_until: new Date('2026-12-24T18:00').toISOString().replace('.000Z', 'Z'),
      run_on_battery: false,
    });
  });

  it('shows the rules under the fields, in seconds', async () => {
    const { user, onSave } = setup();
    await fillRequired(user);
    await user.clear(field('Retries'));
    await user.type(field('Retries'), '11');
    await user.clear(field('Retry delay'));
    await user.type(field('Retry delay'), '0.5');
    await user.type(field('Env file'), 'relative.env');
    await user.click(saveButton());
    expect(errorText('retries')).toBe('must be 0..10');
    expect(errorText('retry_delay')).toBe('must be 1 to 3600 seconds');
    expect(errorText('env_file')).toBe('must be an absolute path');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('prefills an existing schedule and patches only what changed', async () => {
    const initial: Schedule = {
      ...SCHEDULE,
      retries: 2,
      retry_delay: 90_000,
      random_delay: 600_000,
    };
    const { user, onSave } = setup({ mode: 'edit', initial });
    expect(field('Retries').value).toBe('2');
    expect(field('Retry delay').value).toBe('90');
    expect(field('Random delay').value).toBe('600');
    expect((field('Shell') as unknown as HTMLSelectElement).value).toBe('plain');
    await user.clear(field('Retries'));
    await user.type(field('Retries'), '5');
    await user.click(saveButton());
    expect(onSave.mock.calls[0]?.[0]).toEqual({ retries: 5 });
  });

  it('the preview follows the random delay being typed; editing, it shows the schedule’s own', async () => {
    const { user, props } = setup();
    await user.clear(field('Random delay'));
    await user.type(field('Random delay'), '300');
    await screen.findByText('Each run starts up to 5 min later (random delay).');
    expect(props.previewFires).toHaveBeenLastCalledWith(
      expect.objectContaining({ cron: '0 9 * * *', random_delay: 300_000 }),
    );
    // Not a valid delay: the preview asks without one rather than show nothing.
    await user.type(field('Random delay'), 'x');
    await user.click(saveButton());
    expect(errorText('random_delay')).toBeTruthy();
    await expect.poll(() => screen.queryByText(/random delay/)).toBeNull();

    cleanup();
    const initial: Schedule = { ...SCHEDULE, random_delay: 600_000 };
    const edit = setup({ mode: 'edit', initial });
    await screen.findByText(/^Times include this schedule's random delay \(/);
    expect(edit.props.previewFires).toHaveBeenLastCalledWith(
      expect.objectContaining({ random_delay: 600_000, schedule_id: 'sched_abc' }),
    );
    // 03:00 in London plus the schedule's own offset (whole seconds), not the bare cron time.
    const delay = Math.floor(randomDelayOffset('sched_abc', 600_000) / 1000) * 1000;
    expect(delay).toBeGreaterThan(60_000);
    const first = new Date(Date.parse('2026-11-30T03:00:00Z') + delay).toISOString().slice(11, 16);
    expect((await nextRuns())[0]).toBe(`Mon, Nov 30, ${first} GMT`);
  });
});
