// @ts-nocheck
// 
// Whether the app can write its data (ours): shown in settings, pushed as an event, so every
// surface can say "your disk is full" instead of failing silently.

export interface StorageProblem {
  /**
   * What could not be written: run history, the schedules store, the engine's state, or
   * runs it owes later (pending retries, fires held by a pause or battery power), or the
   * records of alerts sent for runs (webhooks, pings).
   */
  scope: 'history' | 'store' | 'state' | 'pending' | 'deliveries';
  path: string;
  /** The errno code: ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EIO… */
  code: string;
  /** One sentence for a person, naming the path and the free space. */
  message: string;
  free_bytes: number | null;
  /** When the problem began. */
  since: string;
}

export interface StorageStatus {
  ok: boolean;
  problem: StorageProblem | null;
}
