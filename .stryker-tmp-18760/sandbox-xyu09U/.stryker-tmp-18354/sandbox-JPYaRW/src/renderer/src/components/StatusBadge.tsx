// @ts-nocheck
// 
// One look for a run's status everywhere (history rows, run detail, the schedules list):
// colour is never the only signal, so each status also has its own glyph and words.
import type { RunStatus } from '../../../shared/types';
import { STATUS_LABELS, statusText } from './format';
import './status.css';

const ICONS: Record<RunStatus, string> = {
  running: '◐',
  success: '✓',
  failure: '✗',
  timeout: '⏱',
  cancelled: '⊘',
  interrupted: '↯',
  skipped: '»',
};

export interface StatusBadgeProps {
  status: RunStatus;
  /** Shown as "exit N" next to a failure. */
  exitCode?: number | null;
  /** A run going on past twice its usual duration (run.stuck): "Running long". */
  runningLong?: boolean;
}

const LONG = 'Running long';

export function StatusBadge({ status, exitCode, runningLong }: StatusBadgeProps) {
  const long = status === 'running' && runningLong === true;
  const label = long ? `${LONG}: past twice its usual duration` : statusText(status, exitCode);
  const showExit = status === 'failure' && typeof exitCode === 'number';
  return (
    // role="img" lets the one aria-label stand for glyph and words together, which a plain
    // span may not carry.
    <span
      className={`status-badge status-${status}${long ? ' status-long' : ''}`}
      role="img"
      aria-label={label}
      title={label}
    >
      <span className="status-icon" aria-hidden="true">
        {ICONS[status] ?? '?'}
      </span>
      <span className="status-text" aria-hidden="true">
        {long ? LONG : (STATUS_LABELS[status] ?? status)}
        {showExit && <span className="status-exit"> · exit {exitCode}</span>}
      </span>
    </span>
  );
}
