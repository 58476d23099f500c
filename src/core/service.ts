// LocalService: the Schedules API for this machine, with the exact Cmdop shapes and defaults.
import { ApiError } from '../shared/errors';
import { newId } from '../shared/ids';
import {
  listQuerySchema,
  machinesQuerySchema,
  parseInput,
  scheduleCreateSchema,
  schedulePatchSchema,
  DEFAULT_NOTIFY,
  historyQuerySchema,
  issuesToFields,
  type CommandRunInput,
  type CommandsQueryInput,
  type CommandStartInput,
  type HistoryQueryInput,
  type ListQueryInput,
  type MachinesQueryInput,
  type ScheduleCreateInput,
  type SchedulePatchInput,
} from '../shared/schemas';
import { formatTimestamp, type Clock } from '../shared/time';
import type { Command, CommandStarted } from '../shared/cmdop-command';
import type {
  ListResult,
  Machine,
  MachineStatus,
  Run,
  RunStarted,
  Schedule,
} from '../shared/types';
import { normalizeNotify, notifyProblems } from '../shared/notify-fields';
import type { SchedulesApi } from '../shared/api';
import { policyFields } from '../shared/policy-fields';
import { batchSchema, type BatchApi, type BatchInput, type BatchItem } from '../shared/batch';
import type { Engine } from './engine';
import type { EventBus } from './events';
import { scheduleStats } from './run-stats';
import { AdhocCommands } from './commands';
import {
  describeLocalMachine,
  LOCAL_ALIAS,
  machineMatches,
  scheduleMatches,
  unknownMachine,
  type MachineIdentity,
} from './machine';
import { machineStatus } from './machine-status';
import type { ScheduleRepository, Settings, StoredSchedule } from './schedules';
import { storedScheduleFields } from './stored-schedule';
import type { LastDecision } from '../shared/decisions-api';

export interface LocalServiceDeps {
  repo: ScheduleRepository;
  engine: Engine;
  machine: MachineIdentity;
  clock: Clock;
  events: EventBus;
  /** Alerts (ours): each run's deliveries and stuck marker, each schedule's running_long. */
  alerts?: RunAlerts;
  /** The newest entry of a schedule's decision log (decisions/recorder.ts). */
  lastDecision?: (id: string) => LastDecision | null;
}

export interface RunAlerts {
  decorate(run: Run): Run;
  runningLong(scheduleId: string): boolean;
}

/** Formats an internal millisecond ISO string as the wire's second-precision form. */
function wireTime(iso: string): string {
  return formatTimestamp(Date.parse(iso));
}

export class LocalService implements SchedulesApi, BatchApi {
  readonly #repo: ScheduleRepository;
  readonly #engine: Engine;
  readonly #machine: MachineIdentity;
  readonly #clock: Clock;
  readonly #events: EventBus;
  readonly #alerts: RunAlerts | undefined;
  readonly #lastDecision: LocalServiceDeps['lastDecision'];
  /** The last creation instant handed out: batches get distinct, increasing ones. */
  #lastCreated = 0;
  readonly #adhoc: AdhocCommands;

  constructor(deps: LocalServiceDeps) {
    this.#repo = deps.repo;
    this.#engine = deps.engine;
    this.#machine = deps.machine;
    this.#clock = deps.clock;
    this.#events = deps.events;
    this.#lastDecision = deps.lastDecision;
    this.#adhoc = new AdhocCommands({
      ...deps,
      machineId: deps.machine.id,
      checkMachine: (id) => this.#checkMachine(id),
    });
    this.#alerts = deps.alerts;
  }

  get machineId(): string {
    return this.#machine.id;
  }

  /** Whether a schedule id is one of this machine's. */
  owns(id: string): boolean {
    return this.#repo.get(id) !== undefined;
  }

  /** Every local schedule (optionally by enabled and search), for the router's merged lists. */
  async listAll(enabled?: boolean, search?: string): Promise<Schedule[]> {
    return this.#repo
      .all()
      .filter((s) => enabled === undefined || s.enabled === enabled)
      .filter((s) => scheduleMatches(s, search))
      .map((s) => this.#toSchedule(s));
  }

  isLocalMachine(id: string): boolean {
    return id === LOCAL_ALIAS || id === this.#machine.id;
  }

  #toSchedule(s: StoredSchedule): Schedule {
    const error = this.#repo.error(s.id);
    const next = this.#engine.nextRun(s);
    const schedule: Schedule = {
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
      ...policyFields(s),
      running: this.#engine.runningCommand(s.id) !== null,
      stats: scheduleStats(this.#engine.history, s.id, this.#clock.now()),
    };
    const retry = this.#engine.policies.pendingRetry(s.id);
    schedule.next_retry_at = retry ? formatTimestamp(retry.at) : null;
    schedule.retry_command_id = retry?.after ?? null;
    if (error !== null) schedule.error = error;
    if (schedule.running && this.#alerts?.runningLong(s.id)) schedule.running_long = true;
    const decision = this.#lastDecision?.(s.id) ?? null;
    if (decision !== null) schedule.last_decision = decision;
    return schedule;
  }

  #find(id: string): StoredSchedule {
    const found = this.#repo.get(id);
    if (!found) throw ApiError.notFound('Schedule', id);
    return found;
  }

  /** Cmdop answers a machine it does not know with 404 not_found; so do we, naming ours. */
  #checkMachine(machineId: string) {
    if (!this.isLocalMachine(machineId)) throw unknownMachine(machineId, [this.#machine.id]);
  }

  async list(query: ListQueryInput = {}): Promise<ListResult<Schedule>> {
    const q = parseInput(listQuerySchema, query, 'query');
    const mine = q.machine_id === undefined || this.isLocalMachine(q.machine_id);
    const all = mine ? this.#repo.all() : [];
    // The store keeps list order: without a filter a page is a slice, not a scan.
    const matching =
      // Stryker disable next-line ConditionalExpression: with no filter, filtering keeps every schedule (a scan instead of a slice)
      q.enabled === undefined && !q.search
        ? all
        : all.filter(
            (s) =>
              (q.enabled === undefined || s.enabled === q.enabled) && scheduleMatches(s, q.search),
          );
    return {
      data: matching.slice(q.offset, q.offset + q.limit).map((s) => this.#toSchedule(s)),
      meta: { total: matching.length, limit: q.limit, offset: q.offset },
    };
  }

  async get(id: string): Promise<Schedule> {
    return this.#toSchedule(this.#find(id));
  }

  /**
   * A creation instant: now, or 1 ms after the last one handed out, so the schedules of a
   * batch list in the order they were sent (the list is ordered by created_at).
   */
  #createdAt(now: number): string {
    this.#lastCreated = Math.max(now, this.#lastCreated + 1);
    return new Date(this.#lastCreated).toISOString();
  }

  #toStored(c: BatchItem, now: number): StoredSchedule {
    const created =
      c.created_at !== undefined ? new Date(c.created_at).toISOString() : this.#createdAt(now);
    const updated = c.updated_at !== undefined ? new Date(c.updated_at).toISOString() : created;
    return {
      id: c.id ?? newId('sched'),
      name: c.name,
      description: c.description,
      command: c.command,
      cron: c.cron,
      enabled: c.enabled,
      timezone: c.timezone,
      timeout: c.timeout,
      notify: normalizeNotify({ ...DEFAULT_NOTIFY, ...c.notify }),
      cwd: c.cwd,
      env: c.env,
      overlap: c.overlap,
      catch_up: c.catch_up,
      ...policyFields(c),
      created_at: created,
      updated_at: updated,
    };
  }

  async create(input: ScheduleCreateInput): Promise<Schedule> {
    const c = parseInput(scheduleCreateSchema, input, 'schedule');
    this.#checkMachine(c.machine_id);
    const now = this.#clock.now();
    const stored = this.#toStored(c, now);
    this.#repo.put(stored);
    this.#engine.scheduleChanged(stored);
    const schedule = this.#toSchedule(stored);
    this.#events.emit({ type: 'schedule.created', schedule });
    return schedule;
  }

  /**
   * Up to BATCH_MAX schedules, all or none: every item is checked (fields, machine, ids not
   * taken) before anything is stored, then the store file is written once.
   */
  async createBatch(input: BatchInput): Promise<Schedule[]> {
    const parsed = batchSchema.safeParse(input === undefined ? {} : input, { reportInput: true });
    const fields = parsed.success ? {} : issuesToFields(parsed.error.issues);
    // Machines and ids are checked on every item, including those with other problems, so
    // one answer names everything that is wrong.
    const raw = (input as { items?: unknown } | null)?.items;
    const ids = new Set<string>();
    // Stryker disable next-line ArrayDeclaration: a stand-in item without machine or id adds no problem
    (Array.isArray(raw) ? raw : []).forEach((item: unknown, i) => {
      const { machine_id: machine, id } = (item ?? {}) as { machine_id?: unknown; id?: unknown };
      if (typeof machine === 'string' && !this.isLocalMachine(machine)) {
        fields[`items.${i}.machine_id`] ??=
          `unknown machine '${machine}'; a batch creates schedules on this machine (${this.#machine.id} or 'local') only`;
      }
      if (typeof id !== 'string') return;
      if (this.#repo.get(id) || ids.has(id)) fields[`items.${i}.id`] ??= `${id} already exists`;
      ids.add(id);
    });
    if (!parsed.success || Object.keys(fields).length > 0) {
      throw ApiError.invalid(fields, 'batch');
    }
    const b = parsed.data;
    const now = this.#clock.now();
    const stored = b.items.map((item) => this.#toStored(item, now));
    this.#repo.putMany(stored);
    // The scheduler computes each next fire once; the answer below reads it from there.
    for (const s of stored) this.#engine.scheduleChanged(s);
    return stored.map((s) => {
      const schedule = this.#toSchedule(s);
      this.#events.emit({ type: 'schedule.created', schedule });
      return schedule;
    });
  }

  /** Replaces every schedule and the settings (a backup being restored), in one write. */
  restore(schedules: StoredSchedule[], settings: Settings): void {
    // A copy: all() is the store's live list, which replaceAll rewrites in place.
    const before = [...this.#repo.all()];
    this.#repo.replaceAll(schedules, settings);
    const kept = new Set(schedules.map((s) => s.id));
    for (const old of before) {
      if (kept.has(old.id)) continue;
      this.#engine.scheduleDeleted(old.id);
      this.#events.emit({ type: 'schedule.deleted', id: old.id });
    }
    const existed = new Set(before.map((s) => s.id));
    for (const s of schedules) {
      this.#engine.scheduleChanged(s);
      const schedule = this.#toSchedule(s);
      this.#events.emit({
        type: existed.has(s.id) ? 'schedule.updated' : 'schedule.created',
        schedule,
      });
    }
  }

  async update(id: string, patch: SchedulePatchInput): Promise<Schedule> {
    const p = parseInput(schedulePatchSchema, patch, 'schedule');
    const current = this.#find(id);
    if (p.machine_id !== undefined) this.#checkMachine(p.machine_id);
    const { machine_id: _machine, notify, ...fields } = p;
    const next: StoredSchedule = {
      ...current,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      notify: normalizeNotify({ ...current.notify, ...notify }),
    };
    // A URL and the allow_http it needs may come in different requests: judged together.
    const notifyBad = notify ? notifyProblems(next.notify) : {};
    if (Object.keys(notifyBad).length > 0) {
      const fields = Object.entries(notifyBad).map(([k, v]) => [`notify.${k}`, v]);
      throw ApiError.invalid(Object.fromEntries(fields), 'schedule');
    }
    const now = this.#clock.now();
    const broken = this.#repo.brokenFields(id);
    if (broken !== null) {
      // Stored broken: the patch must set every broken field (their stand-in values are not
      // the user's intent) and leave the whole schedule valid.
      const unset: Record<string, string> = {};
      for (const [path, rule] of Object.entries(broken)) {
        const field = path.split('.')[0] as string;
        if (!(field in p)) unset[field] ??= `${rule} in the stored schedule; set a valid value`;
      }
      const bad = Object.keys(unset).length > 0 ? unset : storedScheduleFields(next);
      if (bad) throw ApiError.invalid(bad, 'schedule');
    } else if (JSON.stringify(next) === JSON.stringify(current)) {
      return this.#toSchedule(current);
    }
    next.updated_at = new Date(now).toISOString();
    this.#repo.put(next);
    this.#engine.scheduleChanged(next);
    const schedule = this.#toSchedule(next);
    this.#events.emit({ type: 'schedule.updated', schedule });
    return schedule;
  }

  async remove(id: string): Promise<{ deleted: true }> {
    this.#find(id);
    this.#repo.delete(id);
    this.#engine.scheduleDeleted(id);
    this.#events.emit({ type: 'schedule.deleted', id });
    return { deleted: true };
  }

  async runNow(id: string): Promise<RunStarted> {
    const schedule = this.#find(id);
    const error = this.#repo.error(id);
    if (error !== null) {
      throw new ApiError('conflict', `Schedule ${id} cannot run until it is fixed: ${error}`, {
        error,
      });
    }
    return this.#engine.runNow(schedule);
  }

  async history(id: string, query: HistoryQueryInput = {}): Promise<ListResult<Run>> {
    const q = parseInput(historyQuerySchema, query, 'query');
    this.#find(id);
    const { data, total } = this.#engine.history.list(id, q);
    return {
      data: data.map((r) => this.#decorate(this.#engine.withRetry(r))),
      meta: { total, limit: q.limit, offset: q.offset },
    };
  }

  async getCommand(id: string): Promise<Command> {
    return this.#adhoc.toCommand(this.#decorate(this.#engine.getCommand(id)));
  }

  async runCommand(input: CommandRunInput): Promise<Command> {
    return this.#adhoc.run(input);
  }

  async startCommand(input: CommandStartInput): Promise<CommandStarted> {
    return this.#adhoc.start(input);
  }

  async listCommands(
    machineId: string,
    query: CommandsQueryInput = {},
  ): Promise<ListResult<Command>> {
    this.#checkMachine(machineId);
    return this.#adhoc.list(query);
  }

  #decorate(run: Run): Run {
    return this.#alerts ? this.#alerts.decorate(run) : run;
  }

  async cancelCommand(id: string): Promise<{ cancelled: true }> {
    return this.#engine.cancelCommand(id);
  }

  async listMachines(query: MachinesQueryInput = {}): Promise<ListResult<Machine>> {
    const q = parseInput(machinesQuerySchema, query, 'query');
    const all = [describeLocalMachine(this.#machine, this.#clock)].filter((m) =>
      machineMatches(m, q),
    );
    return {
      data: all.slice(q.offset, q.offset + q.limit),
      meta: { total: all.length, limit: q.limit, offset: q.offset },
    };
  }

  async getMachine(id: string): Promise<Machine> {
    this.#checkMachine(id);
    return describeLocalMachine(this.#machine, this.#clock);
  }

  async getMachineStatus(id: string): Promise<MachineStatus> {
    this.#checkMachine(id);
    return machineStatus(this.#clock);
  }
}
