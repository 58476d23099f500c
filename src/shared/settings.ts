// App settings (ours, not Cmdop's): stored preferences plus read-only facts about the local
// API. One schema for stored data and one for patches, shared by HTTP, IPC and the form.
import { z } from 'zod';
import type { StorageStatus } from './storage';
import { addProblem, instantOrNull } from './schemas';

export const HISTORY_MAX_RUNS_LIMIT = 100_000;
export const HISTORY_MAX_AGE_DAYS_LIMIT = 3650;

export const DEFAULT_LOCAL_API_PORT = 7878;
/**
 * Cmdop's managed cloud API. Not a default: Cmdop's docs call it planned, not yet open to
 * all; self-hosted Cmdop servers are at `https://HOST/api/v1`. Shown as an example.
 */
export const CMDOP_CLOUD_URL = 'https://api.cmdop.com/v1';
export const SELF_HOSTED_URL_EXAMPLE = 'https://cmdop.example.com/api/v1';

/** A reason a Cmdop API URL cannot be used, or null. Plain http only on loopback (tests). */
export function remoteUrlError(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must be a URL such as ${CMDOP_CLOUD_URL} or ${SELF_HOSTED_URL_EXAMPLE}`;
  }
  if (parsed.protocol === 'https:') return null;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback) return null;
  return 'must use https (plain http is accepted for 127.0.0.1 only)';
}

export const REMOTE_URL_MAX = 2048;
export const REMOTE_TOKEN_MAX = 4096;

const remoteUrl = z
  .string()
  .max(REMOTE_URL_MAX, { error: `must be at most ${REMOTE_URL_MAX} characters` })
  .superRefine((value, ctx) => {
    const problem = remoteUrlError(value);
    if (problem) addProblem(ctx, problem);
  });

/** What is persisted (in config.json under `settings`), with defaults for missing parts. */
export const storedSettingsSchema = z.object({
  notifications: z.object({ muted: z.boolean() }).default({ muted: false }),
  history: z
    .object({
      max_runs: z.number().int().min(1).max(HISTORY_MAX_RUNS_LIMIT),
      max_age_days: z.number().int().min(1).max(HISTORY_MAX_AGE_DAYS_LIMIT),
    })
    .default({ max_runs: 1000, max_age_days: 90 }),
  /** Global pause: scheduled fires do not run; run-now still works. */
  paused: z.boolean().default(false),
  /** ours: when a timed global pause ends by itself (paused is true); null = until resumed. */
  paused_until: z.string().nullable().default(null),
  /** The tray app's loopback REST server; the headless server takes --port instead. */
  local_api: z
    .object({ enabled: z.boolean(), port: z.number().int().min(1024).max(65535) })
    .default({ enabled: false, port: DEFAULT_LOCAL_API_PORT }),
  /** The Cmdop connection; its token is kept apart (SecretStore), never in this file. */
  remote: z.object({ url: z.string().nullable() }).default({ url: null }),
});

export type StoredSettings = z.output<typeof storedSettingsSchema>;

export const settingsPatchSchema = z.strictObject({
  notifications: z.strictObject({ muted: z.boolean() }).partial().optional(),
  history: z
    .strictObject({
      max_runs: z
        .number()
        .int()
        .min(1, { error: `must be 1..${HISTORY_MAX_RUNS_LIMIT}` })
        .max(HISTORY_MAX_RUNS_LIMIT, { error: `must be 1..${HISTORY_MAX_RUNS_LIMIT}` }),
      max_age_days: z
        .number()
        .int()
        .min(1, { error: `must be 1..${HISTORY_MAX_AGE_DAYS_LIMIT} days` })
        .max(HISTORY_MAX_AGE_DAYS_LIMIT, {
          error: `must be 1..${HISTORY_MAX_AGE_DAYS_LIMIT} days`,
        }),
    })
    .partial()
    .optional(),
  paused: z.boolean().optional(),
  /**
   * A timed pause: paused until this instant, then resumed by itself. Setting it pauses;
   * null makes a pause last until resumed.
   */
  paused_until: instantOrNull.optional(),
  /** The tray app only: start with the desktop session. */
  start_at_login: z.boolean().optional(),
  local_api: z
    .strictObject({
      enabled: z.boolean(),
      port: z
        .number()
        .int()
        .min(1024, { error: 'must be a port 1024-65535' })
        .max(65535, { error: 'must be a port 1024-65535' }),
    })
    .partial()
    .optional(),
  /** The token is write-only: settings report only whether one is set. null clears. */
  remote: z
    .strictObject({
      url: remoteUrl.nullable(),
      token: z
        .string()
        .trim()
        .min(1, { error: 'must not be blank; use null to remove it' })
        .max(REMOTE_TOKEN_MAX, { error: `must be at most ${REMOTE_TOKEN_MAX} characters` })
        .nullable(),
    })
    .partial()
    .optional(),
});

export const remoteTestSchema = z.strictObject({
  url: remoteUrl.optional(),
  token: z
    .string()
    .trim()
    .min(1, { error: 'must not be blank' })
    .max(REMOTE_TOKEN_MAX, { error: `must be at most ${REMOTE_TOKEN_MAX} characters` })
    .optional(),
});

export type RemoteTestInput = z.input<typeof remoteTestSchema>;

export interface RemoteStatus {
  url: string | null;
  token_set: boolean;
  /** 'cli' when --remote-url / CMDOP_API_TOKEN decide it (settings cannot change it then). */
  source: 'settings' | 'cli';
  connected: boolean;
  /** Whether the stored token is encrypted by the OS keychain (else: a 0600 file). */
  token_encrypted: boolean;
  /** Why a saved token cannot be read by this owner, so it must be entered again; or null. */
  token_unreadable: string | null;
}

export interface RemoteTestResult {
  ok: boolean;
  message: string;
  machines?: number;
  /**
   * What answered `GET auth/me`: Cmdop's cloud, a self-hosted Cmdop (`https://HOST/api/v1`),
   * another Cmdop Scheduler, or an API that did not say.
   */
  kind?: 'cloud' | 'self-hosted' | 'cmdop-scheduler' | 'unknown';
  /** The base URL that answered (the one to save), when the test found it. */
  url?: string;
}

export type SettingsPatchInput = z.input<typeof settingsPatchSchema>;

/** Read-only facts about the API this surface is talking to. */
export interface ApiServerInfo {
  /** 'headless' serves this UI itself; 'tray' is the desktop app. */
  mode: 'headless' | 'tray';
  url: string | null;
  /** The local API token, for copying into scripts; null when the local API is off. */
  token: string | null;
  /** Where the token comes from: 'env' cannot be rotated from the app. */
  token_source: 'env' | 'file' | 'generated' | null;
}

export type AppSettings = Omit<StoredSettings, 'remote'> & {
  remote: RemoteStatus;
  server: ApiServerInfo;
  /** null where it does not apply (the headless server). */
  start_at_login: boolean | null;
  /** Whether the data directory can be written; a problem names the path and free space. */
  storage: StorageStatus;
};

export interface SettingsApi {
  getSettings(): Promise<AppSettings>;
  updateSettings(patch: SettingsPatchInput): Promise<AppSettings>;
  /** A new random local API token; the old one stops working at once. */
  rotateToken(): Promise<AppSettings>;
  /** Tries the Cmdop connection (the saved one, or the given URL/token) without saving. */
  testRemote(input?: RemoteTestInput): Promise<RemoteTestResult>;
}
