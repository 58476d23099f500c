// @ts-nocheck
// 
// One run: which schedule and command it was, what started it, how it ended, and what it
// printed — from its first byte, live while it runs (useRunOutput). Run again starts a new
// run of the same schedule and opens it.
import { useEffect, useState } from 'react';
import { ADHOC_OWNER } from '../../../../shared/cmdop-command';
import { ApiError } from '../../../../shared/errors';
import { routeHash } from '../../../../shared/routes';
import type { Schedule } from '../../../../shared/types';
import type { AppApi } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDuration, formatLocal, triggerLabel } from '../../components/format';
import { useTitle } from '../../components/useTitle';
import { OutputBlock } from './OutputBlock';
import { AlertDeliveries, useRunAlerts } from './RunAlerts';
import { useRunOutput } from './useRunOutput';
import '../history/history.css';

export interface RunViewProps {
  api: AppApi;
  commandId: string;
  /** Looks the run's schedule up once the run says which it is. */
  scheduleOf?(id: string): Schedule | undefined;
  /** Starts another run of the schedule; resolves with its command id, or null. */
  onRunAgain?(scheduleId: string): Promise<string | null>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function RunView({ api, commandId, scheduleOf, onRunAgain }: RunViewProps) {
  const [reloads, setReloads] = useState(0);
  const { run, logs, error: loadError } = useRunOutput(api, commandId, reloads);
  const [cancel, setCancel] = useState<'idle' | 'pending' | 'requested'>('idle');
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [again, setAgain] = useState(false);

  useEffect(() => {
    setCancel('idle');
    setCancelError(null);
  }, [commandId]);

  const schedule = run ? scheduleOf?.(run.schedule_id) : undefined;
  // An ad-hoc command (POST /v1/commands, `cmdop-scheduler exec`) has no schedule.
  const adhoc = run?.schedule_id === ADHOC_OWNER;
  const scheduleName = adhoc ? 'an ad-hoc command' : (schedule?.name ?? run?.schedule_id);
  useTitle(scheduleName ? `Run of ${scheduleName}` : 'Run');
  const running = run?.status === 'running';
  const alerts = useRunAlerts(api, commandId, run);

  const cancelRun = async () => {
    setCancel('pending');
    setCancelError(null);
    try {
      await api.cancelCommand(commandId);
      if (run && run.status !== 'running') {
        // A waiting retry was cancelled: show the run without it.
        setCancel('idle');
        setReloads((n) => n + 1);
        return;
      }
      // The process gets a grace period before SIGKILL; run.finished ends the wait.
      setCancel('requested');
    } catch (e) {
      setCancel('idle');
      setCancelError(message(e));
      // It ended and the event was missed (or is late): show how it ended.
      if (e instanceof ApiError && e.code === 'not_running') setReloads((n) => n + 1);
    }
  };

  const runAgain = async () => {
    if (!run || !onRunAgain) return;
    setAgain(true);
    const next = await onRunAgain(run.schedule_id);
    setAgain(false);
    if (next) window.location.hash = routeHash({ name: 'run', commandId: next });
  };

  return (
    <section className="run-detail" aria-labelledby="run-heading">
      <div className="view-header">
        {run && !adhoc && (
          <a className="up-link" href={routeHash({ name: 'history', scheduleId: run.schedule_id })}>
            ← History
          </a>
        )}
        <h1 id="run-heading">{scheduleName ? `Run of ${scheduleName}` : `Run ${commandId}`}</h1>
        <span className="spacer" />
        {run && onRunAgain && schedule && (
          <button
            type="button"
            onClick={() => void runAgain()}
            disabled={again || (running && schedule.overlap === 'skip')}
            title={
              running && schedule.overlap === 'skip'
                ? 'This run is still going (overlap: skip)'
                : undefined
            }
          >
            Run again
          </button>
        )}
        {running && (
          <button
            type="button"
            className="danger"
            onClick={() => void cancelRun()}
            disabled={cancel !== 'idle'}
          >
            Cancel run
          </button>
        )}
      </div>

      {cancelError && (
        <div className="run-error" role="alert">
          {cancelError}
        </div>
      )}
      {running && cancel === 'requested' && (
        <p className="muted" role="status">
          Cancel requested; waiting for the process to end.
        </p>
      )}

      {loadError && !run && (
        <div className="run-error" role="alert">
          Could not load the run: {loadError}
        </div>
      )}
      {!run && !loadError && <p className="muted">Loading run…</p>}

      {run && (
        <>
          <dl className="run-facts">
            <dt>Command</dt>
            <dd>
              {adhoc ? (
                <code className="run-command">{run.command}</code>
              ) : schedule ? (
                <code className="run-command">{schedule.command}</code>
              ) : (
                <span className="muted">The schedule {run.schedule_id} no longer exists</span>
              )}
            </dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge
                status={run.status}
                exitCode={run.exit_code}
                runningLong={alerts.stuckAt !== null}
              />
            </dd>
            <dt>Trigger</dt>
            <dd>{triggerLabel(run.trigger)}</dd>
            <dt>Scheduled for</dt>
            <dd>{run.scheduled_for ? formatLocal(run.scheduled_for) : '—'}</dd>
            <dt>Started</dt>
            <dd>
              <time dateTime={run.started_at}>{formatLocal(run.started_at)}</time>
            </dd>
            <dt>Finished</dt>
            <dd>
              {run.finished_at ? (
                <time dateTime={run.finished_at}>{formatLocal(run.finished_at)}</time>
              ) : (
                '—'
              )}
            </dd>
            <dt>Duration</dt>
            <dd>{running ? 'Still running' : formatDuration(run.duration)}</dd>
            <dt>Exit code</dt>
            <dd className="mono">{run.exit_code ?? '—'}</dd>
            {run.signal && (
              <>
                <dt>Signal</dt>
                <dd className="mono">{run.signal}</dd>
              </>
            )}
            <dt>Command id</dt>
            <dd className="mono">{run.command_id}</dd>
            {(run.attempt ?? 1) > 1 && (
              <>
                <dt>Attempt</dt>
                <dd>
                  {run.attempt}, a retry of <span className="mono">{run.retry_of}</span>
                </dd>
              </>
            )}
            {run.next_retry_at && (
              <>
                <dt>Next retry</dt>
                <dd>
                  <time dateTime={run.next_retry_at}>{formatLocal(run.next_retry_at)}</time>{' '}
                  <button type="button" onClick={() => void cancelRun()}>
                    Cancel retry
                  </button>
                </dd>
              </>
            )}
            {run.shell && (
              <>
                <dt>Shell</dt>
                <dd className="mono">
                  {run.shell}
                  {run.env_file ? ` with ${run.env_file}` : ''}
                </dd>
              </>
            )}
          </dl>

          {alerts.stuckAt && (
            <p className="run-notice" role="status">
              Running long: past twice this schedule&apos;s usual duration (noticed{' '}
              {formatLocal(alerts.stuckAt)}).
            </p>
          )}

          <AlertDeliveries deliveries={alerts.deliveries} />

          {run.truncated && (
            <p className="run-notice" role="note">
              Output was truncated: the middle was dropped
            </p>
          )}

          <OutputBlock
            title="Output"
            copyLabel="Copy output"
            emptyText={running ? 'No output yet' : 'No output'}
            log={logs.stdout}
          />
          <OutputBlock
            title="Errors"
            copyLabel="Copy errors"
            emptyText={running ? 'Nothing on stderr yet' : 'Nothing on stderr'}
            log={logs.stderr}
          />
        </>
      )}
    </section>
  );
}
