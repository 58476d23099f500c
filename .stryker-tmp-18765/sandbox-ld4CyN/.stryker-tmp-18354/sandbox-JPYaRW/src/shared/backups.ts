// @ts-nocheck
// 
// Backups of the store (ours): a daily copy kept in the data directory, plus copies made on
// request and before every restore, so a restore can itself be undone.
import { z } from 'zod';

export const BACKUP_KINDS = ['daily', 'manual', 'before-restore'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

/** How many copies of each kind are kept; older ones are deleted. */
export const BACKUPS_KEPT = 7;

export interface BackupInfo {
  /** The file name in the data directory's `backups/` folder; what restore takes. */
  id: string;
  kind: BackupKind;
  created_at: string;
  /** Bytes. */
  size: number;
  /** Schedules in it, or null when the file cannot be read as a store. */
  schedules: number | null;
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The copy of the store made just before the restore: restore it to undo. */
  previous: BackupInfo | null;
  schedules: number;
}

export interface BackupsApi {
  listBackups(): Promise<BackupInfo[]>;
  createBackup(): Promise<BackupInfo>;
  restoreBackup(id: string, options?: RestoreInput): Promise<RestoreResult>;
}

/** A restore takes no options today; the body may be empty or `{}`. */
export const restoreSchema = z.strictObject({});
export type RestoreInput = z.input<typeof restoreSchema>;

/** Backup file names: `config-20261130T030000Z-daily.json` (with -2… when two share a second). */
export const BACKUP_NAME = /^config-(\d{8}T\d{6}Z)-(daily|manual|before-restore)(?:-(\d+))?\.json$/;
