// @ts-nocheck
// 
// Home: what is coming (the next runs of every schedule over 24 hours), what went wrong
// (failures in the last 24 hours), and which schedules are least reliable (success rate and
// duration of their recent runs). All of it from the schedules the UI already holds (their
// `stats`), kept current by events: opening this page costs no requests.
import { useMemo } from 'react';
import { successRate } from '../../../../shared/run-stats';
import { routeHash } from '../../../../shared/routes';
import type { Schedule } from '../../../../shared/types';
import { describeCron } from '../../components/CronPreview';
import { RelativeTime } from '../../components/RelativeTime';
import { RunTrend } from '../../components/RunTrend';
import { useTitle } from '../../components/useTitle';
import { useClock } from '../../store/clock';
import { useApp } from '../../store/context';
import { scheduleList } from '../../store/select';
import { EmptyState } from '../schedules/EmptyState';
import { Timeline } from './Timeline';
import './home.css';

const UP_NEXT = 8;
const LEAST_RELIABLE = 8;

const historyHref = (s: Schedule) => routeHash({ name: 'history', scheduleId: s.id });

function UpNext({ schedules }: { schedules: readonly Schedule[] }) {
  const next = schedules
    .filter((s) => s.enabled && s.next_run)
    .sort((a, b) => (a.next_run as string).localeCompare(b.next_run as string))
    .slice(0, UP_NEXT);
  if (next.length === 0) return <p className="muted">No enabled schedule will run again.</p>;
  return (
    <ol className="up-next">
      {next.map((s) => (
        <li key={s.id}>
          <RelativeTime iso={s.next_run as string} />
          <a href={historyHref(s)}>{s.name}</a>
          <span className="muted small">{describeCron(s.cron) ?? s.cron}</span>
        </li>
      ))}
    </ol>
  );
}

function Failures({ schedules }: { schedules: readonly Schedule[] }) {
  const failing = schedules
    .filter((s) => (s.stats?.failures_24h ?? 0) > 0)
    .sort((a, b) => (b.stats?.last_failure_at ?? '').localeCompare(a.stats?.last_failure_at ?? ''));
  const total = failing.reduce((n, s) => n + (s.stats?.failures_24h ?? 0), 0);
  return (
    <>
      <p className="home-figure">
        <strong className={total > 0 ? 'bad' : 'good'}>{total}</strong>{' '}
        {total === 1 ? 'failed run' : 'failed runs'}
        {failing.length > 1 && ` in ${failing.length} schedules`}
      </p>
      {failing.length === 0 ? (
        <p className="muted">No run failed, timed out or was interrupted in the last 24 hours.</p>
      ) : (
        <ul className="failures">
          {failing.slice(0, 10).map((s) => (
            <li key={s.id}>
              <a href={historyHref(s)}>{s.name}</a>
              <span className="muted small">
                {s.stats?.failures_24h} {s.stats?.failures_24h === 1 ? 'failure' : 'failures'}
                {s.stats?.last_failure_at && (
                  <>
                    , last <RelativeTime iso={s.stats.last_failure_at} />
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Reliability({ schedules }: { schedules: readonly Schedule[] }) {
  const rated = schedules
    .filter((s) => s.stats && s.stats.recent.length > 0)
    .map((s) => ({ s, rate: successRate(s.stats as NonNullable<Schedule['stats']>) ?? 1 }))
    .sort((a, b) => a.rate - b.rate || a.s.name.localeCompare(b.s.name))
    .slice(0, LEAST_RELIABLE);
  if (rated.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table className="reliability">
      <thead>
        <tr>
          <th scope="col">Schedule</th>
          <th scope="col">Last runs: success and duration</th>
        </tr>
      </thead>
      <tbody>
        {rated.map(({ s }) => (
          <tr key={s.id}>
            <th scope="row">
              <a href={historyHref(s)}>{s.name}</a>
            </th>
            <td>
              <RunTrend stats={s.stats as NonNullable<Schedule['stats']>} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HomeView() {
  useTitle('Home');
  const byId = useApp((s) => s.schedules.byId);
  const order = useApp((s) => s.schedules.order);
  const openEditor = useApp((s) => s.openEditor);
  const schedules = useMemo(() => scheduleList(byId, order), [byId, order]);
  // The strip moves on with the clock, a minute at a time.
  const minute = useClock((now) => Math.floor(now / 60_000));

  if (schedules.length === 0) {
    return (
      <section aria-labelledby="home-heading" className="home">
        <h1 id="home-heading" className="visually-hidden">
          Home
        </h1>
        <EmptyState
          filtered={false}
          onNew={() => openEditor({ mode: 'create' })}
          onClear={() => {}}
        />
      </section>
    );
  }

  return (
    <section aria-labelledby="home-heading" className="home">
      <h1 id="home-heading">Home</h1>
      <div className="home-grid">
        <section aria-labelledby="next-heading" className="home-card wide">
          <h2 id="next-heading">Next 24 hours</h2>
          <p className="muted small home-note">When each schedule runs next, by quarter hour.</p>
          <Timeline schedules={schedules} now={minute * 60_000} />
          <UpNext schedules={schedules} />
        </section>
        <section aria-labelledby="failures-heading" className="home-card">
          <h2 id="failures-heading">Failures in the last 24 hours</h2>
          <Failures schedules={schedules} />
        </section>
        <section aria-labelledby="reliability-heading" className="home-card">
          <h2 id="reliability-heading">Least reliable</h2>
          <Reliability schedules={schedules} />
        </section>
      </div>
    </section>
  );
}
