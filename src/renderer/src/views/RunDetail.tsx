// One run: what started it, how it ended, and what it printed. While it runs, output comes
// from run.output events; when it ends, the stored run (with the full captured output)
// replaces that live view.
import { useCallback, useDeferredValue, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/errors';
import type { Run } from '../../../shared/types';
import type { AppApi } from '../api/types';
import { AnsiText } from '../components/AnsiText';
import { StatusBadge } from '../components/StatusBadge';
import { formatDuration, formatLocal, triggerLabel } from '../components/format';
import './history.css';

/** Live output kept per stream (characters), so both together stay near 512 KiB. */
export const LIVE_STREAM_MAX = 256 * 1024;
const COPIED_MS = 2000;

type Stream = 'stdout' | 'stderr';

interface LiveStream {
  text: string;
  /** Characters cut from the front to stay under LIVE_STREAM_MAX. */
  dropped: number;
}

interface Live {
  stdout: LiveStream;
  stderr: LiveStream;
}

const NO_LIVE: Live = { stdout: { text: '', dropped: 0 }, stderr: { text: '', dropped: 0 } };

/** Appends a chunk, dropping the oldest text past the bound; the newest output matters most. */
export function appendBounded(
  stream: LiveStream,
  chunk: string,
  max = LIVE_STREAM_MAX,
): LiveStream {
  const text = stream.text + chunk;
  if (text.length <= max) return { text, dropped: stream.dropped };
  let cut = text.length - max;
  // Cut at a line start when one is near, so a colour code or a word is not split.
  const newline = text.indexOf('\n', cut);
  if (newline !== -1 && newline - cut < 4096) cut = newline + 1;
  return { text: text.slice(cut), dropped: stream.dropped + cut };
}

function liveText(stream: LiveStream): string {
  return stream.dropped > 0
    ? `[… ${stream.dropped} characters of earlier live output not shown …]\n${stream.text}`
    : stream.text;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The capture's "[… 123 bytes dropped …]" and the engine's "[… N characters of live output
// not shown …]" lines. The capturing group makes split() keep them at odd indexes.
const MARKER_LINE = /^(\[… [^\n]* …\])$/m;

function OutputText({ text }: { text: string }) {
  const parts = text.split(MARKER_LINE);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} className="output-marker">
            {part}
          </span>
        ) : (
          <AnsiText key={i} text={part} />
        ),
      )}
    </>
  );
}

interface OutputBlockProps {
  title: string;
  copyLabel: string;
  emptyText: string;
  text: string;
}

function OutputBlock({ title, copyLabel, emptyText, text }: OutputBlockProps) {
  const [feedback, setFeedback] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  // Rendering big output is the slow part; deferring it keeps buttons responsive while
  // live chunks stream in.
  const shown = useDeferredValue(text);
  const id = `output-${title.toLowerCase()}`;

  const say = (words: string) => {
    setFeedback(words);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setFeedback(''), COPIED_MS);
  };

  const copy = async () => {
    // Absent outside a secure context or in some embedded browsers.
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    if (!clipboard?.writeText) {
      say('Copying is not available here; select the text instead');
      return;
    }
    try {
      await clipboard.writeText(text);
      say('Copied');
    } catch (e) {
      say(`Could not copy: ${message(e)}`);
    }
  };

  return (
    <section className="output-block" aria-labelledby={id}>
      <header>
        <h2 id={id}>{title}</h2>
        <button type="button" onClick={() => void copy()} disabled={text === ''}>
          {copyLabel}
        </button>
        <span className="copy-feedback" role="status">
          {feedback}
        </span>
      </header>
      {text === '' ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <pre className="output-pre" tabIndex={0} aria-labelledby={id}>
          <OutputText text={shown} />
        </pre>
      )}
    </section>
  );
}

export interface RunDetailProps {
  api: AppApi;
  commandId: string;
  /** Gets the run when it has loaded: a run opened by link knows its schedule only then. */
  onBack(run: Run | null): void;
}

export function RunDetail({ api, commandId, onBack }: RunDetailProps) {
  const [run, setRun] = useState<Run | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [live, setLive] = useState<Live>(NO_LIVE);
  const [cancel, setCancel] = useState<'idle' | 'pending' | 'requested'>('idle');
  const [cancelError, setCancelError] = useState<string | null>(null);

  // Set once the run's final state is known; later answers and events cannot be newer.
  const finalRef = useRef(false);
  // Which mount/command an async answer belongs to; a stale one is dropped.
  const session = useRef(0);

  const load = useCallback(
    (isCurrent: () => boolean) =>
      api.getCommand(commandId).then(
        (r) => {
          // A run.finished that came while this was on its way is newer than this answer.
          if (!isCurrent() || finalRef.current) return;
          if (r.status !== 'running') finalRef.current = true;
          setRun(r);
          setLoadError(null);
        },
        (e: unknown) => {
          if (isCurrent()) setLoadError(message(e));
        },
      ),
    [api, commandId],
  );

  // Subscribed before loading, so no output printed between the answer and the
  // subscription is missed; events of other commands are ignored.
  useEffect(() => {
    const mine = ++session.current;
    const current = () => session.current === mine;
    finalRef.current = false;
    setRun(null);
    setLoadError(null);
    setLive(NO_LIVE);
    setCancel('idle');
    setCancelError(null);
    const unsubscribe = api.subscribe((event) => {
      if (!current() || finalRef.current) return;
      if (event.type === 'run.output' && event.command_id === commandId) {
        const stream: Stream = event.stream;
        setLive((prev) => ({ ...prev, [stream]: appendBounded(prev[stream], event.chunk) }));
      } else if (event.type === 'run.finished' && event.run.command_id === commandId) {
        finalRef.current = true;
        setRun(event.run);
        setLive(NO_LIVE);
      } else if (event.type === 'run.started' && event.run.command_id === commandId) {
        setRun((prev) => prev ?? event.run);
      }
    });
    void load(current);
    return () => {
      session.current += 1;
      unsubscribe();
    };
  }, [api, commandId, load]);

  const running = run?.status === 'running';

  const cancelRun = async () => {
    const mine = session.current;
    const current = () => session.current === mine;
    setCancel('pending');
    setCancelError(null);
    try {
      await api.cancelCommand(commandId);
      if (!current()) return;
      if (run && run.status !== 'running') {
        // A waiting retry was cancelled: show the run without it.
        setCancel('idle');
        void load(current);
        return;
      }
      // The process gets a grace period before SIGKILL; run.finished ends the wait.
      setCancel('requested');
    } catch (e) {
      if (!current()) return;
      setCancel('idle');
      setCancelError(message(e));
      if (e instanceof ApiError && e.code === 'not_running') {
        // It ended and the event was missed (or is late): show how it ended.
        void load(current);
      }
    }
  };

  const stdout = running ? run.stdout + liveText(live.stdout) : (run?.stdout ?? '');
  const stderr = running ? run.stderr + liveText(live.stderr) : (run?.stderr ?? '');

  return (
    <section className="run-detail" aria-labelledby="run-heading">
      <header className="view-header">
        <button type="button" onClick={() => onBack(run)}>
          Back
        </button>
        <h1 id="run-heading">Run {run?.id ?? commandId}</h1>
        <span className="spacer" />
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
      </header>

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
            <dt>Status</dt>
            <dd>
              <StatusBadge status={run.status} exitCode={run.exit_code} />
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
            <dt>Command</dt>
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

          {run.truncated && (
            <p className="run-notice" role="note">
              Output was truncated: the middle was dropped
            </p>
          )}
          {running && (
            <p className="muted">
              Showing output as it arrives; the full captured output appears when the run ends.
            </p>
          )}

          <OutputBlock
            title="Output"
            copyLabel="Copy output"
            emptyText={running ? 'No output yet' : 'No output'}
            text={stdout}
          />
          <OutputBlock
            title="Errors"
            copyLabel="Copy errors"
            emptyText={running ? 'Nothing on stderr yet' : 'Nothing on stderr'}
            text={stderr}
          />
        </>
      )}
    </section>
  );
}
