// LocalService: the Schedules API for this machine, with the exact Cmdop shapes and defaults.
import { ApiError } from '../shared/errors';
import { newId } from '../shared/ids';
import {
  listQuerySchema,
  pagingQuerySchema,
  parseInput,
  scheduleCreateSchema,
  schedulePatchSchema,
  DEFAULT_NOTIFY,
  historyQuerySchema,
  type HistoryQueryInput,
  type ListQueryInput,
  type PagingQueryInput,
  type ScheduleCreateInput,
  type SchedulePatchInput,
} from '../shared/schemas';
import { formatTimestamp, type Clock } from '../shared/time';
import type { ListResult, Machine, Run, RunStarted, Schedule } from '../shared/types';
import type { SchedulesApi } from '../shared/api';
import { NextRunCache } from './cron';
import type { Engine } from './engine';
import type { EventBus } from './events';
import { scheduleStats } from './run-stats';
import { describeLocalMachine, LOCAL_ALIAS, type MachineIdentity } from './machine';
import type { ScheduleRepository, StoredSchedule } from './schedules';

export interface LocalServiceDeps {
  repo: ScheduleRepository;
  engine: Engine;
  machine: MachineIdentity;
  clock: Clock;
  events: EventBus;
}

/** Formats an internal millisecond ISO string as the wire's second-precision form. */
function wireTime(iso: string): string {
  return formatTimestamp(Date.parse(iso));
}

export class LocalService implements SchedulesApi {
  readonly #repo: ScheduleRepository;
  readonly #engine: Engine;
  readonly #machine: MachineIdentity;
  readonly #clock: Clock;
  readonly #events: EventBus;
  readonly #nextRuns = new NextRunCache();

  constructor(deps: LocalServiceDeps) {
    this.#repo = deps.repo;
    this.#engine = deps.engine;
    this.#machine = deps.machine;
    this.#clock = deps.clock;
    this.#events = deps.events;
  }

  get machineId(): string {
    return this.#machine.id;
  }

  /** Whether a schedule id is one of this machine's. */
  owns(id: string): boolean {
    return this.#repo.get(id) !== undefined;
  }

  /** Every local schedule (optionally by enabled), for the router's merged lists. */
  async listAll(enabled?: boolean): Promise<Schedule[]> {
    const now = this.#clock.now();
    return this.#repo
      .all()
      .filter((s) => enabled === undefined || s.enabled === enabled)
      .map((s) => this.#toSchedule(s, now));
  }

  isLocalMachine(id: string): boolean {
    return id === LOCAL_ALIAS || id === this.#machine.id;
  }

  #toSchedule(s: StoredSchedule, now: number): Schedule {
    const next = s.enabled ? this.#nextRuns.next(s.id, s.cron, s.timezone, now) : null;
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      machine_id: this.#machine.id,
      command: s.command,
      cron: s.cron,
      enabled: s.enabled,
      timezone: s.timezone,
      timeout: s.timeout,
      notify: { ...s.notify },
      next_run: next === null ? null : formatTimestamp(next),
      last_run: this.#engine.lastRun(s.id),
      created_at: wireTime(s.created_at),
      updated_at: wireTime(s.updated_at),
      cwd: s.cwd,
      env: { ...s.env },
      overlap: s.overlap,
      catch_up: s.catch_up,
      running: this.#engine.runningCommand(s.id) !== null,
      stats: scheduleStats(this.#engine.history, s.id, now),
    };
  }

  #find(id: string): StoredSchedule {
    const found = this.#repo.get(id);
    if (!found) throw ApiError.notFound('Schedule', id);
    return found;
  }

  #checkMachine(machineId: string) {
    if (!this.isLocalMachine(machineId)) {
      throw ApiError.invalid(
        {
          machine_id: `unknown machine '${machineId}'; this machine is ${this.#machine.id} (or 'local')`,
        },
        'schedule',
      );
    }
  }

  async list(query: ListQueryInput = {}): Promise<ListResult<Schedule>> {
    const q = parseInput(listQuerySchema, query, 'query');
    const now = this.#clock.now();
    const mine = q.machine_id === undefined || this.isLocalMachine(q.machine_id);
    const matching = mine
      ? this.#repo.all().filter((s) => q.enabled === undefined || s.enabled === q.enabled)
      : [];
    return {
      data: matching.slice(q.offset, q.offset + q.limit).map((s) => this.#toSchedule(s, now)),
      meta: { total: matching.length, limit: q.limit, offset: q.offset },
    };
  }

  async get(id: string): Promise<Schedule> {
    return this.#toSchedule(this.#find(id), this.#clock.now());
  }

  async create(input: ScheduleCreateInput): Promise<Schedule> {
    const c = parseInput(scheduleCreateSchema, input, 'schedule');
    this.#checkMachine(c.machine_id);
    const now = this.#clock.now();
    const at = new Date(now).toISOString();
    const stored: StoredSchedule = {
      id: newId('sched'),
      name: c.name,
      description: c.description,
      command: c.command,
      cron: c.cron,
      enabled: c.enabled,
      timezone: c.timezone,
      timeout: c.timeout,
      notify: { ...DEFAULT_NOTIFY, ...c.notify },
      cwd: c.cwd,
      env: c.env,
      overlap: c.overlap,
      catch_up: c.catch_up,
      created_at: at,
      updated_at: at,
    };
    this.#repo.put(stored);
    this.#engine.scheduleChanged(stored);
    const schedule = this.#toSchedule(stored, now);
    this.#events.emit({ type: 'schedule.created', schedule });
    return schedule;
  }

  async update(id: string, patch: SchedulePatchInput): Promise<Schedule> {
    const p = parseInput(schedulePatchSchema, patch, 'schedule');
    const current = this.#find(id);
    if (p.machine_id !== undefined) this.#checkMachine(p.machine_id);
    const { machine_id: _machine, notify, ...fields } = p;
    const next: StoredSchedule = {
      ...current,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      notify: { ...current.notify, ...notify },
    };
    const now = this.#clock.now();
    if (JSON.stringify(next) === JSON.stringify(current)) return this.#toSchedule(current, now);
    next.updated_at = new Date(now).toISOString();
    this.#repo.put(next);
    this.#engine.scheduleChanged(next);
    const schedule = this.#toSchedule(next, now);
    this.#events.emit({ type: 'schedule.updated', schedule });
    return schedule;
  }

  async remove(id: string): Promise<{ deleted: true }> {
    this.#find(id);
    this.#repo.delete(id);
    this.#engine.scheduleDeleted(id);
    this.#nextRuns.forget(id);
    this.#events.emit({ type: 'schedule.deleted', id });
    return { deleted: true };
  }

  async runNow(id: string): Promise<RunStarted> {
    return this.#engine.runNow(this.#find(id));
  }

  async history(id: string, query: HistoryQueryInput = {}): Promise<ListResult<Run>> {
    const q = parseInput(historyQuerySchema, query, 'query');
    this.#find(id);
    const { data, total } = this.#engine.history.list(id, q);
    return { data, meta: { total, limit: q.limit, offset: q.offset } };
  }

  async getCommand(id: string): Promise<Run> {
    return this.#engine.getCommand(id);
  }

  async cancelCommand(id: string): Promise<{ cancelled: true }> {
    return this.#engine.cancelCommand(id);
  }

  async listMachines(query: PagingQueryInput = {}): Promise<ListResult<Machine>> {
    const q = parseInput(pagingQuerySchema, query, 'query');
    const all = [describeLocalMachine(this.#machine, this.#clock)];
    return {
      data: all.slice(q.offset, q.offset + q.limit),
      meta: { total: all.length, limit: q.limit, offset: q.offset },
    };
  }

  async getMachine(id: string): Promise<Machine> {
    if (!this.isLocalMachine(id)) throw ApiError.notFound('Machine', id);
    return describeLocalMachine(this.#machine, this.#clock);
  }
}
