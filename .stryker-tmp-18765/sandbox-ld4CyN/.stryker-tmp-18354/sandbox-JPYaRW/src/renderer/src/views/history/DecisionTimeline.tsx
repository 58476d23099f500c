// @ts-nocheck
// 
// The planned fires of a schedule, oldest to newest, each a marker with its outcome: the
// gaps a run list cannot show (a pause, a night the app was off, a skipped overlap) are
// visible, and each marker names why in the words `why` prints (shared/decision-sentence).
// A span of alike fires is one marker with its count.
import { useEffect, useState } from 'react';
import { decisionSentence, lastDecisionText, wallTime } from '../../../../shared/decision-sentence';
import type { Decision } from '../../../../shared/decisions';
import type { Schedule } from '../../../../shared/types';
import type { AppApi } from '../../api/types';

/** Markers shown: the newest planned fires (spans count once). */
export const TIMELINE_SIZE = 30;

function outcome(d: Decision): 'ran' | 'late' | 'skipped' | 'missed' {
  if (d.kind === 'missed') return 'missed';
  if (!d.ran) return 'skipped';
  return d.kind === 'caught_up' || d.kind === 'retry' ? 'late' : 'ran';
}

export function DecisionTimeline({
  api,
  schedule,
  now,
}: {
  api: AppApi;
  schedule: Schedule;
  now: number;
}) {
  const [decisions, setDecisions] = useState<Decision[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // Asked again whenever the schedule says its last fire or run changed.
  const changed = `${schedule.last_decision?.last_scheduled_for ?? ''}|${schedule.last_decision?.count ?? ''}|${schedule.last_run?.at ?? ''}`;
  useEffect(() => {
    // Views are given the whole AppApi; a transport without the decision log shows none.
    if (typeof api.decisions !== 'function') return;
    let live = true;
    api
      .decisions(schedule.id, { limit: TIMELINE_SIZE })
      .then((page) => live && (setDecisions([...page.data].reverse()), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [api, schedule.id, changed]);

  if (error) {
    return (
      <p className="fires-error" role="alert">
        Could not load the planned fires: {error}
      </p>
    );
  }
  if (decisions === null || decisions.length === 0) return null;
  const zone = schedule.timezone;
  const sentence = (d: Decision) => decisionSentence(d, zone, { now });
  const shown = decisions.find((d) => d.id === selected) ?? null;
  return (
    <section className="decision-timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="small muted">
        Planned fires
      </h2>
      <ol className="fires-markers" aria-label="Planned fires, oldest first">
        {decisions.map((d) => (
          <li key={d.id} className={`fire-marker ${outcome(d)}`} data-kind={d.kind}>
            <button
              type="button"
              title={sentence(d)}
              aria-pressed={selected === d.id}
              onClick={() => setSelected(selected === d.id ? null : d.id)}
            >
              <span className="fire-dot" aria-hidden="true" />
              <span className="fire-time">{wallTime(d.scheduled_for, zone, { now })}</span>
              <span className="fire-why">
                {lastDecisionText(d)}
                {d.count > 1 && ` ×${d.count}`}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <p className="fires-sentence small" aria-live="polite">
        {shown ? sentence(shown) : ''}
      </p>
    </section>
  );
}
