// @ts-nocheck
// 
// The schedules as the UI holds them: by id, in the API's order, with the runs in progress
// that events announced. Events are applied in the order the server sent them and each one
// sets state rather than toggling it, so replaying them over any later snapshot converges on
// the server's state. Pure functions: the store batches events per frame and calls these.
import { ADHOC_OWNER } from '../../../shared/cmdop-command';
import { nextFireTime } from '../../../shared/cron';
import type { ApiEvent } from '../../../shared/events';
import { addRun, counts } from '../../../shared/run-stats';
import { formatTimestamp } from '../../../shared/time';
import type { Run, Schedule } from '../../../shared/types';

/** A run the snapshot said was going on, whose command id the UI never saw start. */
export const UNKNOWN_RUN = '?';

export interface SchedulesState {
  byId: Readonly<Record<string, Schedule>>;
  /** Ids in the API's order (created_at, then id). */
  order: readonly string[];
  /** Per schedule, the command ids of its runs in progress. */
  active: Readonly<Record<string, readonly string[]>>;
}

export const NO_SCHEDULES: SchedulesState = { byId: {}, order: [], active: {} };

/** The state a full list from the API describes. */
export function fromSnapshot(list: readonly Schedule[]): SchedulesState {
  const byId: Record<string, Schedule> = {};
  const active: Record<string, string[]> = {};
  for (const s of list) {
    byId[s.id] = s;
    if (s.running) active[s.id] = [UNKNOWN_RUN];
  }
  return { byId, order: list.map((s) => s.id), active };
}

/**
 * A batch's working copy: the maps are copied once per batch, not once per event, so a
 * burst of two hundred events over a thousand schedules costs two copies, not four hundred.
 */
class Draft {
  byId: Record<string, Schedule>;
  active: Record<string, readonly string[]>;
  order: readonly string[];
  changed = false;

  constructor(readonly base: SchedulesState) {
    this.byId = base.byId as Record<string, Schedule>;
    this.active = base.active as Record<string, readonly string[]>;
    this.order = base.order;
  }

  #own() {
    if (this.changed) return;
    this.changed = true;
    this.byId = { ...this.byId };
    this.active = { ...this.active };
  }

  put(schedule: Schedule) {
    this.#own();
    if (this.byId[schedule.id] === undefined) this.order = [...this.order, schedule.id];
    this.byId[schedule.id] = schedule;
  }

  runs(id: string): readonly string[] {
    return this.active[id] ?? [];
  }

  setRuns(id: string, runs: readonly string[]) {
    this.#own();
    if (runs.length > 0) this.active[id] = runs;
    else delete this.active[id];
    const schedule = this.byId[id];
    const running = runs.length > 0;
    if (schedule && (schedule.running !== running || (!running && schedule.running_long))) {
      // Nothing runs any more: nothing runs long either.
      const { running_long: _long, ...rest } = schedule;
      this.byId[id] = running ? { ...schedule, running } : { ...rest, running };
    }
  }

  remove(id: string) {
    if (!this.byId[id]) return;
    this.#own();
    delete this.byId[id];
    delete this.active[id];
    this.order = this.order.filter((x) => x !== id);
  }

  done(): SchedulesState {
    return this.changed ? { byId: this.byId, active: this.active, order: this.order } : this.base;
  }
}

function upsert(d: Draft, schedule: Schedule) {
  d.put(schedule);
  // The object says whether it runs as of when it was sent, which is the stream's order.
  const runs = d.runs(schedule.id);
  if (schedule.running === true && runs.length === 0) d.setRuns(schedule.id, [UNKNOWN_RUN]);
  else if (schedule.running === false && runs.length > 0) d.setRuns(schedule.id, []);
  else d.setRuns(schedule.id, runs);
}

function started(d: Draft, run: Run) {
  // Ad-hoc commands belong to no schedule: nothing in the list runs because of them.
  if (run.schedule_id === ADHOC_OWNER) return;
  const runs = d.runs(run.schedule_id);
  if (!runs.includes(run.command_id)) d.setRuns(run.schedule_id, [...runs, run.command_id]);
}

function finished(d: Draft, run: Run) {
  const id = run.schedule_id;
  const schedule = d.byId[id];
  if (!schedule) return;
  // A skipped fire never started: it says nothing about the run that made it skip.
  if (run.status !== 'skipped') {
    const runs = d.runs(id);
    let left: readonly string[];
    if (schedule.overlap !== 'allow')
      left = []; // one run at a time: this was it
    else if (runs.includes(run.command_id)) left = runs.filter((c) => c !== run.command_id);
    else left = runs.filter((c, i) => c !== UNKNOWN_RUN || i !== runs.indexOf(UNKNOWN_RUN));
    d.setRuns(id, left);
  }
  if (!counts(run.status)) return;
  const current = d.byId[id] as Schedule;
  const newer = current.last_run === null || run.started_at >= current.last_run.at;
  d.put({
    ...current,
    last_run: newer
      ? { at: run.started_at, exit_code: run.exit_code, duration: run.duration, status: run.status }
      : current.last_run,
    stats: current.stats && addRun(current.stats, run),
  });
}

/** Applies events in order; run.output is not the list's business. */
export function applyEvents(state: SchedulesState, events: readonly ApiEvent[]): SchedulesState {
  const d = new Draft(state);
  for (const event of events) {
    switch (event.type) {
      case 'schedule.created':
      case 'schedule.updated':
        upsert(d, event.schedule);
        break;
      case 'schedule.deleted':
        d.remove(event.id);
        break;
      case 'run.started':
        started(d, event.run);
        break;
      case 'run.finished':
        finished(d, event.run);
        break;
      case 'run.stuck': {
        const s = d.byId[event.run.schedule_id];
        if (s && s.running && !s.running_long) d.put({ ...s, running_long: true });
        break;
      }
      default:
        break;
    }
  }
  return d.done();
}

/**
 * Whether this finished run is one the UI never saw start while it holds such a run for a
 * schedule that allows overlaps: others it never saw may still be going, which only the
 * server can say.
 */
export function endsUnknownRun(state: SchedulesState, run: Run): boolean {
  const runs = state.active[run.schedule_id] ?? [];
  return (
    run.status !== 'skipped' &&
    state.byId[run.schedule_id]?.overlap === 'allow' &&
    runs.includes(UNKNOWN_RUN) &&
    !runs.includes(run.command_id)
  );
}

/**
 * Moves each next_run that has passed to the following fire, the way the server computes it
 * (the same cron code, strictly after now), so a burst of fires costs no requests.
 */
export function advanceNextRuns(state: SchedulesState, now: number): SchedulesState {
  let byId: Record<string, Schedule> | null = null;
  for (const id of state.order) {
    const s = state.byId[id];
    if (!s || !s.enabled || s.next_run === null || Date.parse(s.next_run) > now) continue;
    let next: number | null;
    try {
      next = nextFireTime(s.cron, s.timezone, now);
    } catch {
      continue;
    }
    byId ??= { ...state.byId };
    byId[id] = { ...s, next_run: next === null ? null : formatTimestamp(next) };
  }
  return byId ? { ...state, byId } : state;
}
