// SettingsApi over the store and the local API token, for the REST server and IPC.
import { ApiError } from '../shared/errors';
import { parseInput } from '../shared/schemas';
import {
  remoteTestSchema,
  settingsPatchSchema,
  type ApiServerInfo,
  type RemoteTestInput,
  type RemoteTestResult,
  type AppSettings,
  type SettingsApi,
  type SettingsPatchInput,
} from '../shared/settings';
import type { StorageStatus } from '../shared/storage';
import type { EventBus } from './events';
import type { RemoteControl } from './host';
import type { ScheduleRepository } from './schedules';

export interface SettingsServiceDeps {
  repo: ScheduleRepository;
  /** Facts about the serving API, read on every call (the token can rotate). */
  server: () => ApiServerInfo;
  /** Makes and stores a new token; null when the token cannot be rotated (from env). */
  rotate: (() => void) | null;
  events?: EventBus;
  /** The OS login item (tray app only). */
  loginItem?: { get(): boolean; set(enabled: boolean): void };
  /** The Cmdop connection. */
  remote: RemoteControl;
  /** Whether the data directory can be written. */
  storage: () => StorageStatus;
  /** The engine's view of the global pause (a timed one ends by itself). */
  pause?: PauseControl;
}

export interface PauseControl {
  /** The global pause as it stands now: an ended timed pause reads as not paused. */
  globalPause(): { paused: boolean; paused_until: string | null };
  /** The settings were changed through the API. */
  settingsChanged(): void;
  /** The settings changed without the API (a timed pause ended). */
  onSettingsChanged(listener: () => void): () => void;
}

export class SettingsService implements SettingsApi {
  constructor(private readonly deps: SettingsServiceDeps) {
    deps.pause?.onSettingsChanged(() => void this.#announce());
  }

  async getSettings(): Promise<AppSettings> {
    const { remote: _stored, ...stored } = structuredClone(this.deps.repo.settings());
    return {
      ...stored,
      ...this.deps.pause?.globalPause(),
      remote: this.deps.remote.status(),
      server: this.deps.server(),
      start_at_login: this.deps.loginItem ? this.deps.loginItem.get() : null,
      storage: this.deps.storage(),
    };
  }

  async updateSettings(patch: SettingsPatchInput): Promise<AppSettings> {
    const p = parseInput(settingsPatchSchema, patch, 'settings');
    if (p.start_at_login !== undefined) {
      if (!this.deps.loginItem) {
        throw ApiError.invalid(
          { start_at_login: 'applies to the desktop app only, not the headless server' },
          'settings',
        );
      }
      this.deps.loginItem.set(p.start_at_login);
    }
    if (p.remote !== undefined) {
      if (this.deps.remote.status().source === 'cli') {
        throw ApiError.invalid(
          { remote: 'is set by --remote-url / CMDOP_API_TOKEN; change it there and restart' },
          'settings',
        );
      }
      this.deps.remote.configure(p.remote);
    }
    if (p.paused === false && typeof p.paused_until === 'string') {
      throw ApiError.invalid(
        { paused_until: 'must be null or absent when paused is false (resuming ends the pause)' },
        'settings',
      );
    }
    const current = this.deps.repo.settings();
    this.deps.repo.updateSettings({
      ...current,
      notifications: { ...current.notifications, ...p.notifications },
      history: { ...current.history, ...p.history },
      ...pauseAfter(current, p.paused, p.paused_until),
      local_api: { ...current.local_api, ...p.local_api },
    });
    this.deps.pause?.settingsChanged();
    return this.#announce();
  }

  async #announce(): Promise<AppSettings> {
    const settings = await this.getSettings();
    this.deps.events?.emit({ type: 'settings.updated', settings: redact(settings) });
    return settings;
  }

  async testRemote(input: RemoteTestInput = {}): Promise<RemoteTestResult> {
    return this.deps.remote.test(parseInput(remoteTestSchema, input, 'connection test'));
  }

  async rotateToken(): Promise<AppSettings> {
    if (!this.deps.rotate) {
      throw new ApiError(
        'conflict',
        'The API token comes from CMDOP_SCHEDULER_TOKEN; change it there and restart',
      );
    }
    this.deps.rotate();
    return this.getSettings();
  }
}

/**
 * `paused: true` pauses until resumed; `paused_until` pauses until then (and null makes a
 * pause last until resumed); `paused: false` resumes and forgets the instant.
 */
function pauseAfter(
  current: { paused: boolean; paused_until: string | null },
  paused: boolean | undefined,
  until: string | null | undefined,
): Partial<{ paused: boolean; paused_until: string | null }> {
  if (paused === false) return { paused: false, paused_until: null };
  if (until !== undefined)
    return { paused: paused ?? (until !== null || current.paused), paused_until: until };
  if (paused === true) return { paused: true, paused_until: null };
  return {}; // as they are: the caller spreads the current settings first
}

/** Events go to every listener; the token stays out of them. */
function redact(settings: AppSettings): AppSettings {
  return { ...settings, server: { ...settings.server, token: null } };
}
