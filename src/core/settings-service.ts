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
}

export class SettingsService implements SettingsApi {
  constructor(private readonly deps: SettingsServiceDeps) {}

  async getSettings(): Promise<AppSettings> {
    const { remote: _stored, ...stored } = structuredClone(this.deps.repo.settings());
    return {
      ...stored,
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
    const current = this.deps.repo.settings();
    this.deps.repo.updateSettings({
      ...current,
      notifications: { ...current.notifications, ...p.notifications },
      history: { ...current.history, ...p.history },
      paused: p.paused ?? current.paused,
      local_api: { ...current.local_api, ...p.local_api },
    });
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

/** Events go to every listener; the token stays out of them. */
function redact(settings: AppSettings): AppSettings {
  return { ...settings, server: { ...settings.server, token: null } };
}
