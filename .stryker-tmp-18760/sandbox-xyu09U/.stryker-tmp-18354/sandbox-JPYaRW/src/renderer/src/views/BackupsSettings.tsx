// @ts-nocheck
// 
// Settings → Backups: the daily copies of the schedules and settings (seven of each kind
// kept), one made on request, and restore — which asks first and keeps the current state
// as a backup of its own, so it can be undone the same way.
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo } from '../../../shared/backups';
import { formatLocal } from '../components/format';
import { RelativeTime } from '../components/RelativeTime';
import { useApp, useAppContext } from '../store/context';

const KIND_LABEL: Record<BackupInfo['kind'], string> = {
  daily: 'Daily',
  manual: 'Made by hand',
  'before-restore': 'Before a restore',
};

export function BackupsSettings() {
  const { api } = useAppContext();
  // A restore replaces schedules and settings: the whole view is read again after it.
  const reloadApp = useApp((s) => s.load);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [asking, setAsking] = useState<BackupInfo | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setBackups(await api.listBackups());
    } catch (e) {
      setMessage((e as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setMessage(await work());
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };

  return (
    <fieldset>
      <legend>Backups</legend>
      <p className="muted small">
        A copy of your schedules and settings is made every day in the data folder; the last seven
        are kept.
      </p>
      <button
        disabled={busy}
        onClick={() =>
          void act(async () => {
            const made = await api.createBackup();
            return `Backed up ${made.schedules ?? 0} schedules.`;
          })
        }
      >
        Back up now
      </button>
      {message && <p role="status">{message}</p>}
      {backups && backups.length === 0 && <p className="muted">No backups yet.</p>}
      {backups && backups.length > 0 && (
        <table className="backups">
          <thead>
            <tr>
              <th scope="col">Made</th>
              <th scope="col">Kind</th>
              <th scope="col">Schedules</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.id}>
                <td>
                  <RelativeTime iso={b.created_at} />
                </td>
                <td>{KIND_LABEL[b.kind]}</td>
                <td>{b.schedules ?? 'unreadable'}</td>
                <td>
                  <button
                    disabled={busy || b.schedules === null}
                    onClick={() => setAsking(b)}
                    aria-label={`Restore the backup made ${formatLocal(b.created_at)}`}
                  >
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {asking && (
        <div role="alertdialog" aria-labelledby="restore-title" className="restore-confirm">
          <p id="restore-title">
            Replace every schedule and setting with the backup made {formatLocal(asking.created_at)}{' '}
            ({asking.schedules} schedules)? The current ones are saved as a backup first.
          </p>
          <button onClick={() => setAsking(null)} disabled={busy}>
            Cancel
          </button>{' '}
          <button
            className="primary danger-fill"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                const r = await api.restoreBackup(asking.id);
                await reloadApp();
                return `Restored ${r.schedules} schedules. The previous state was saved as a backup.`;
              })
            }
          >
            Restore
          </button>
        </div>
      )}
    </fieldset>
  );
}
