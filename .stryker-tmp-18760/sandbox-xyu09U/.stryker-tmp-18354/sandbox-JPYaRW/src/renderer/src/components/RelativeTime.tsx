// @ts-nocheck
// 
// "in 5 s", "3 h ago": kept current by the shared clock, with the local time as its tooltip
// and the machine-readable instant in <time>.
import { useClock } from '../store/clock';
import { formatLocal, formatRelative } from './format';

export function RelativeTime({ iso }: { iso: string }) {
  const text = useClock((now) => formatRelative(iso, now));
  return (
    <time dateTime={iso} title={formatLocal(iso)}>
      {text}
    </time>
  );
}
