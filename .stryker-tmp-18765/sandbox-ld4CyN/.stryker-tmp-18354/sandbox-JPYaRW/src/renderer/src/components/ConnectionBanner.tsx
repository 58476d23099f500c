// @ts-nocheck
// 
// Says so as soon as the scheduler cannot be reached (the live event stream dropped), not
// when an action fails; it goes away by itself when the stream is back and the page has
// re-read everything.
import { useApp } from '../store/context';

export function ConnectionBanner({ onRetry }: { onRetry?: () => void }) {
  const connection = useApp((s) => s.connection);
  if (connection !== 'offline') return null;
  return (
    <div className="banner banner-offline" role="alert">
      <span>
        Cannot reach the scheduler at {window.location.host}. What you see may be out of date, and
        changes will fail until it is back. Trying again…
      </span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
