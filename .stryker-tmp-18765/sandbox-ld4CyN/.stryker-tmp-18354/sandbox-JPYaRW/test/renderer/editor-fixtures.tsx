// @ts-nocheck
// 
// What the editor's component tests share: machines, a schedule, and a rendered dialog
// with its callbacks and the usual lookups.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import type { ScheduleCreateInput, SchedulePatchInput } from '../../src/shared/schemas';
import type { Machine, Schedule } from '../../src/shared/types';
import {
  EditorDialog,
  type EditorDialogProps,
} from '../../src/renderer/src/views/editor/EditorDialog';
import { POLICY_DEFAULTS } from '../../src/shared/schemas';
import { engineFires } from './engine';

export const NOW = Date.parse('2026-11-29T18:30:00Z');

export const machine = (id: string, name: string): Machine => ({
  id,
  name,
  status: 'online',
  os: 'linux',
  arch: 'x64',
  hostname: name.toLowerCase(),
  tags: [],
  created_at: '2026-01-01T00:00:00Z',
  last_seen: '2026-11-29T18:30:00Z',
});

export const MACHINES = [machine('mach_local', 'Workstation'), machine('mach_far', 'Build box')];

export const SCHEDULE: Schedule = {
  id: 'sched_abc',
  name: 'Nightly backup',
  description: 'Copies home to the NAS',
  machine_id: 'mach_local',
  command: 'backup.sh --all',
  cron: '0 3 * * *',
  enabled: true,
  timezone: 'Europe/London',
  timeout: 90_000,
  notify: { on_success: false, on_failure: true },
  next_run: '2026-11-30T03:00:00Z',
  last_run: null,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  cwd: '/srv/backup',
  env: { TARGET: 'nas', LEVEL: '2' },
  overlap: 'skip',
  catch_up: false,
  ...POLICY_DEFAULTS,
};

export type SaveInput = ScheduleCreateInput | SchedulePatchInput;

export function setup(overrides: Partial<EditorDialogProps> = {}) {
  const onSave = vi.fn<(input: SaveInput) => Promise<void>>(() => Promise.resolve());
  const onClose = vi.fn<() => void>();
  const user = userEvent.setup();
  const props: EditorDialogProps = {
    mode: 'create',
    machines: MACHINES,
    defaultTimeZone: 'America/New_York',
    now: () => NOW,
    // The engine's own answers (the code behind POST /v1/cron/fires), asked at once.
    previewFires: engineFires(),
    previewDebounceMs: 0,
    onSave,
    onClose,
    ...overrides,
  };
  const view = render(<EditorDialog {...props} />);
  return { user, onSave, onClose, props, ...view };
}

export const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
export const errorText = (name: string) => document.getElementById(`${name}-error`)?.textContent;
export const saveButton = () =>
  screen.getByRole('button', { name: /^(Save|Saving…)$/ }) as HTMLButtonElement;
/** The preview's runs once the engine answered for the expression on screen (not busy). */
export const nextRuns = () =>
  waitFor(() => {
    const list = screen.getByRole('list', { name: 'Next runs' });
    if (list.getAttribute('aria-busy') === 'true') throw new Error('the preview is asking');
    return within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
  });

export async function fillRequired(user: ReturnType<typeof userEvent.setup>) {
  await user.type(field('Name'), 'Backup');
  await user.type(field('Command'), 'backup.sh');
}
