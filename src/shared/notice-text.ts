// Short texts about a run for people: durations in words and the last line of its output.
// Pure, so desktop notices (core) and chat payloads (webhook-payload.ts) word things alike.

/** Durations in words, as a person would say them: "350 ms", "2.3 s", "4 min 5 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  // Stryker disable next-line EqualityOperator: 0 ms is 0 either way
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  // Compare after rounding so 999.6 ms reads "1 s", not "1000 ms".
  if (Math.round(safe) < 1000) return `${Math.round(safe)} ms`;
  // Round before picking the unit so 59.7 s reads "1 min", not "60 s".
  if (safe < 9_950) return `${Number((safe / 1000).toFixed(1))} s`;
  const seconds = Math.round(safe / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const s = seconds % 60;
    return s === 0 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 60)} min ${s} s`;
  }
  // Seconds are noise once a run takes hours.
  const minutes = Math.round(seconds / 60);
  const m = minutes % 60;
  return m === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${m} min`;
}

/** A retried run's failure is told once, after its last attempt, with how many ran. */
export function attemptsText(run: { attempt?: number }): string {
  return (run.attempt ?? 1) > 1 ? ` after ${run.attempt} attempts` : '';
}

/** " — exit 3", " — killed by SIGKILL", or nothing: how a failed run ended. */
export function endedHow(run: { exit_code: number | null; signal: string | null }): string {
  if (run.exit_code !== null) return ` — exit ${run.exit_code}`;
  return run.signal ? ` — killed by ${run.signal}` : '';
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

// Colour codes and other control characters are common in stderr and render as garbage.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Output as it looked on a terminal: colours gone, progress bars at their last state. */
export function visibleText(raw: string): string {
  // A progress bar rewrites its line with \r: only the last state was visible. A CRLF line
  // ending is not such a rewrite.
  return raw
    .split('\n')
    .map((l) => {
      const line = l.replace(/\r+$/, '');
      return line.slice(line.lastIndexOf('\r') + 1).replace(ANSI, '');
    })
    .join('\n')
    .replace(/\t/g, '  ')
    .replace(CONTROL, '');
}

function cleanLine(raw: string): string {
  return visibleText(raw).replace(/\s+/g, ' ').trim();
}

/** The last line with visible text; scans from the end because stderr can be 256 KiB. */
export function lastLine(text: string): string {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = cleanLine(text.slice(start, end));
    if (line) return line;
    end = start - 1;
  }
  return '';
}
