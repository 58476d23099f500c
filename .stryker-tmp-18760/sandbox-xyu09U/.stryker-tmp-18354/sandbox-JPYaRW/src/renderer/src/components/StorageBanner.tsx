// @ts-nocheck
// 
// "Cmdop Scheduler cannot save": shown while the data directory refuses writes (a full disk,
// a read-only mount), gone by itself when writes work again. Schedules keep running meanwhile.
import type { StorageStatus } from '../../../shared/storage';

export function StorageBanner({ storage }: { storage: StorageStatus | undefined }) {
  const problem = storage?.problem;
  if (!problem) return null;
  return (
    <div className="banner banner-danger" role="alert">
      <strong>Cannot save.</strong> {problem.message}. Schedules keep running; new runs are kept in
      memory and saved when there is room again. Changes to schedules and settings are refused until
      then.
    </div>
  );
}
