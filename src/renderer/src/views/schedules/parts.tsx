// Pieces a schedule shows the same way as a table row and as a card.
import type { Schedule } from '../../../../shared/types';
import { RelativeTime } from '../../components/RelativeTime';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDuration } from '../../components/format';
import { useApp } from '../../store/context';

export const nameId = (s: Schedule) => `name-${s.id}`;

/** What the row's data attributes say: tests and tools read state without parsing text. */
export function rowData(s: Schedule) {
  return {
    'data-schedule-id': s.id,
    'data-running': s.running === true ? 'true' : 'false',
    'data-last-status': s.last_run?.status ?? '',
  };
}

export function NextRun({ schedule: s }: { schedule: Schedule }) {
  if (s.next_run) return <RelativeTime iso={s.next_run} />;
  return <span className="muted">{s.enabled ? 'never' : 'disabled'}</span>;
}

export function LastRun({ schedule: s, compact }: { schedule: Schedule; compact?: boolean }) {
  if (s.running) return <StatusBadge status="running" />;
  if (!s.last_run) return <span className="muted">not run yet</span>;
  const { last_run: last } = s;
  return (
    <span className="last-run">
      <StatusBadge status={last.status} exitCode={last.exit_code ?? undefined} />
      <span className="muted small">
        <RelativeTime iso={last.at} />
        {!compact && last.duration !== null && ` · ${formatDuration(last.duration)}`}
      </span>
    </span>
  );
}

export function RunNowButton({ schedule: s }: { schedule: Schedule }) {
  const runNow = useApp((st) => st.runNow);
  const blocked = s.running === true && s.overlap === 'skip';
  return (
    <button
      type="button"
      data-action="run-now"
      onClick={() => void runNow(s.id)}
      disabled={blocked}
      title={blocked ? 'Already running (overlap: skip)' : 'Run the command now'}
      aria-describedby={nameId(s)}
    >
      Run now
    </button>
  );
}
