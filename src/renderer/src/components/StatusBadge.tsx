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
}

export function StatusBadge({ status, exitCode }: StatusBadgeProps) {
  const label = statusText(status, exitCode);
  const showExit = status === 'failure' && typeof exitCode === 'number';
  return (
    // role="img" lets the one aria-label stand for glyph and words together, which a plain
    // span may not carry.
    <span className={`status-badge status-${status}`} role="img" aria-label={label} title={label}>
      <span className="status-icon" aria-hidden="true">
        {ICONS[status] ?? '?'}
      </span>
      <span className="status-text" aria-hidden="true">
        {STATUS_LABELS[status] ?? status}
        {showExit && <span className="status-exit"> · exit {exitCode}</span>}
      </span>
    </span>
  );
}
