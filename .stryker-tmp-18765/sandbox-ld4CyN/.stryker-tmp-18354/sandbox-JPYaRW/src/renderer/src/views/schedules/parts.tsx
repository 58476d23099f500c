// @ts-nocheck
// 
// Pieces a schedule shows the same way as a table row and as a card.
import { lastPlannedText } from '../../../../shared/decision-sentence';
import type { Schedule } from '../../../../shared/types';
import { RelativeTime } from '../../components/RelativeTime';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDuration, formatLocal } from '../../components/format';
import { useClock } from '../../store/clock';
import { useApp } from '../../store/context';

export const nameId = (s: Schedule) => `name-${s.id}`;

/** What the row's data attributes say: tests and tools read state without parsing text. */
export function rowData(s: Schedule) {
  return {
    'data-schedule-id': s.id,
    'data-running': s.running === true ? 'true' : 'false',
    'data-running-long': s.running_long === true ? 'true' : 'false',
    'data-last-status': s.last_run?.status ?? '',
  };
}

/**
 * When it runs next: a waiting retry first (with Cancel), else its next fire; a schedule
 * paused on its own says until when. One line, as rows keep one height.
 */
export function NextRun({ schedule: s }: { schedule: Schedule }) {
  const cancelRetry = useApp((st) => st.cancelRetry);
  // The UI's one clock: the row changes when the pause ends, not on every tick.
  const pausedNow = useClock((now) => s.paused_until !== null && Date.parse(s.paused_until) > now);
  if (s.next_retry_at) {
    return (
      <span className="retry-pending small">
        Retry <RelativeTime iso={s.next_retry_at} />{' '}
        <button
          type="button"
          className="link"
          onClick={() => void cancelRetry(s.id)}
          aria-label={`Cancel the retry of ${s.name}`}
        >
          Cancel
        </button>
      </span>
    );
  }
  const paused = pausedNow ? s.paused_until : null;
  if (paused) {
    return (
      <span className="muted small" title={formatLocal(paused)}>
        Paused until <RelativeTime iso={paused} />
      </span>
    );
  }
  if (s.next_run) return <RelativeTime iso={s.next_run} />;
  return <span className="muted">{s.enabled ? 'never' : 'disabled'}</span>;
}

export function LastRun({ schedule: s, compact }: { schedule: Schedule; compact?: boolean }) {
  if (s.running) return <StatusBadge status="running" runningLong={s.running_long} />;
  // A planned fire that did not run leaves no run behind: the decision log says why.
  const planned = lastPlannedText(s.last_decision);
  const note = planned && (
    <span className="last-planned small ellipsis" role="note" title={s.last_decision?.message}>
      {planned}
    </span>
  );
  if (!s.last_run) {
    return (
      <span className="last-run">
        <span className="muted">not run yet</span>
        {note}
      </span>
    );
  }
  const { last_run: last } = s;
  return (
    <span className="last-run">
      <StatusBadge status={last.status} exitCode={last.exit_code ?? undefined} />
      <span className="muted small">
        <RelativeTime iso={last.at} />
        {!compact && last.duration !== null && ` · ${formatDuration(last.duration)}`}
      </span>
      {note}
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
