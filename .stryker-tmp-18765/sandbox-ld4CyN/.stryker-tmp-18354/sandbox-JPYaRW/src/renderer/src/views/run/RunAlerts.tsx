// @ts-nocheck
// 
// What alerts a run sent (its webhook, its health-check pings) and whether it has been found
// running long — as loaded with the run, then kept current by the live events, since a
// webhook is answered after the run has already ended.
import { useEffect, useState } from 'react';
import type { Delivery, Run } from '../../../../shared/types';
import type { AppApi } from '../../api/types';
import { formatLocal } from '../../components/format';
import { clock } from '../../store/clock';
import './run-alerts.css';

export interface RunAlerts {
  deliveries: Delivery[];
  /** When the run was found running long (while it runs), else null. */
  stuckAt: string | null;
}

const key = (d: Delivery) => `${d.channel} ${d.event} ${d.at}`;

/** Both lists, each record once (the same one can come with the run and as an event). */
function merge(known: Delivery[], more: readonly Delivery[]): Delivery[] {
  const seen = new Set(known.map(key));
  const fresh = more.filter((d) => !seen.has(key(d)));
  return fresh.length === 0 ? known : [...known, ...fresh];
}

export function useRunAlerts(api: AppApi, commandId: string, run: Run | null): RunAlerts {
  const [state, setState] = useState({
    id: commandId,
    deliveries: [] as Delivery[],
    stuckAt: null as string | null,
  });
  useEffect(() => {
    setState({ id: commandId, deliveries: [], stuckAt: null });
    return api.subscribe((event) => {
      if (event.type === 'run.delivery' && event.command_id === commandId) {
        setState((s) => ({ ...s, deliveries: merge(s.deliveries, [event.delivery]) }));
      } else if (event.type === 'run.stuck' && event.run.command_id === commandId) {
        setState((s) => ({
          ...s,
          stuckAt: event.run.stuck_at ?? new Date(clock.getState().now).toISOString(),
        }));
      }
    });
  }, [api, commandId]);
  // A run read again (or ended by its event, which does not carry them) keeps what was seen.
  const loaded = run?.command_id === commandId ? run.deliveries : undefined;
  useEffect(() => {
    if (loaded?.length) setState((s) => ({ ...s, deliveries: merge(s.deliveries, loaded) }));
  }, [loaded]);
  const mine = state.id === commandId;
  const deliveries = merge(mine ? state.deliveries : [], loaded ?? []);
  const running = run?.status === 'running';
  return {
    deliveries: [...deliveries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
    stuckAt: running ? (run?.stuck_at ?? (mine ? state.stuckAt : null)) : null,
  };
}

const EVENT_WORDS: Record<string, string> = {
  start: 'start ping',
  success: 'success ping',
  fail: 'failure ping',
  'run.succeeded': 'webhook: succeeded',
  'run.failed': 'webhook: failed',
  'run.timed_out': 'webhook: timed out',
  'run.stuck': 'webhook: running long',
};

function result(d: Delivery): string {
  const tries = d.attempts > 1 ? ` after ${d.attempts} attempts` : '';
  if (d.ok) return `Delivered (HTTP ${d.status_code ?? '?'})${tries}`;
  return `Not delivered${tries}: ${d.error ?? 'no reason given'}`;
}

export function AlertDeliveries({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) return null;
  return (
    <section className="run-alerts" aria-labelledby="run-alerts-heading">
      <h2 id="run-alerts-heading">Alerts sent</h2>
      <ul>
        {deliveries.map((d, i) => (
          <li key={`${d.at}-${i}`} className={d.ok ? 'alert-ok' : 'alert-failed'}>
            <span className="alert-what">{EVENT_WORDS[d.event] ?? `${d.channel}: ${d.event}`}</span>{' '}
            <span className="mono muted">{d.url}</span>{' '}
            <span className="alert-result">{result(d)}</span>{' '}
            <time className="muted small" dateTime={d.at}>
              {formatLocal(d.at)}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
