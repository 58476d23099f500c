// @ts-nocheck
// 
// How the terminal client prints: aligned tables for people, JSON for scripts, times as
// both a moment and a distance ("2026-03-01 03:00 (in 5h 12m)").
import type { Run, Schedule } from '../shared/types';

export interface Out {
  write(text: string): void;
}

/** Columns padded to their widest cell; the last column is never padded. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

export function clip(text: string, max: number): string {
  const one = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** 1.2 s, 3m 05s, 2h 10m, 3d 4h. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400)
    return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** `2026-03-01 03:00` in this terminal's zone, then how far from now. */
export function when(iso: string | null, now: number): string {
  if (iso === null) return '-';
  const ms = Date.parse(iso);
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const delta = ms - now;
  const rel =
    Math.abs(delta) < 1000
      ? 'now'
      : delta > 0
        ? `in ${duration(delta)}`
        : `${duration(-delta)} ago`;
  return `${local} (${rel})`;
}

export function runSummary(run: Pick<Run, 'status' | 'exit_code' | 'duration' | 'signal'>): string {
  const code =
    run.exit_code !== null ? ` exit ${run.exit_code}` : run.signal ? ` ${run.signal}` : '';
  const took = run.duration !== null ? `, ${duration(run.duration)}` : '';
  return `${run.status}${code}${took}`;
}

export function lastRun(s: Schedule): string {
  return s.last_run ? runSummary({ ...s.last_run, signal: null }) : 'never run';
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
