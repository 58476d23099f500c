// @ts-nocheck
// 
// The Router is the SchedulesApi every surface talks to: this machine's schedules go to the
// LocalService, other machines' to the remote Cmdop API when a connection is set. Lists
// merge both (local first) with one total; a remote that is down costs a warning, never
// the local answer.
import type { SchedulesApi } from '../shared/api';
import { ApiError } from '../shared/errors';
import type { Command, CommandStarted } from '../shared/cmdop-command';
import {
  listQuerySchema,
  machinesQuerySchema,
  parseInput,
  type CommandRunInput,
  type CommandsQueryInput,
  type CommandStartInput,
  type HistoryQueryInput,
  type ListQueryInput,
  type MachinesQueryInput,
  type ScheduleCreateInput,
  type SchedulePatchInput,
} from '../shared/schemas';
import type {
  ListMeta,
  ListResult,
  Machine,
  MachineStatus,
  Run,
  RunStarted,
  Schedule,
} from '../shared/types';
import type { LocalService } from './service';

export class Router implements SchedulesApi {
  #remote: SchedulesApi | null = null;
  #remoteHost = '';

  constructor(private readonly local: LocalService) {}

  /** Connects (or, with null, disconnects) the remote Cmdop API. */
  setRemote(remote: SchedulesApi | null, host = ''): void {
    this.#remote = remote;
    this.#remoteHost = host;
  }

  get remoteConnected(): boolean {
    return this.#remote !== null;
  }

  #warning(e: unknown): string {
    const reason = e instanceof ApiError ? e.message : String(e);
    return `The Cmdop API at ${this.#remoteHost} could not be reached, so only this machine is shown (${reason})`;
  }

  /** Which side owns a schedule id: local ids are known here, everything else is remote. */
  #owner(id: string): SchedulesApi {
    if (this.local.owns(id) || !this.#remote) return this.local;
    return this.#remote;
  }

  /** Commands: the local engine knows its own; anything else may be remote. */
  async #command<T>(id: string, call: (api: SchedulesApi) => Promise<T>): Promise<T> {
    try {
      return await call(this.local);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'not_found') || !this.#remote) throw e;
      return call(this.#remote);
    }
  }

  /**
   * Local items first, then remote ones: `offset`/`limit` run over the concatenation, so
   * pages are stable and `total` is the sum.
   */
  async #merge<T>(
    localAll: T[],
    limit: number,
    offset: number,
    remotePage: (limit: number, offset: number) => Promise<ListResult<T>>,
  ): Promise<ListResult<T>> {
    const data = localAll.slice(offset, offset + limit);
    const meta: ListMeta = { total: localAll.length, limit, offset };
    if (!this.#remote) return { data, meta };
    const want = limit - data.length;
    try {
      // Even when the local part fills the page, one small request learns the remote total.
      const remote = await remotePage(Math.max(want, 1), Math.max(0, offset - localAll.length));
      if (want > 0) data.push(...remote.data.slice(0, want));
      meta.total += remote.meta.total;
      if (remote.meta.warnings) meta.warnings = [...remote.meta.warnings];
    } catch (e) {
      meta.warnings = [this.#warning(e)];
    }
    return { data, meta };
  }

  async list(query: ListQueryInput = {}): Promise<ListResult<Schedule>> {
    const q = parseInput(listQuerySchema, query, 'query');
    if (q.machine_id !== undefined && !this.local.isLocalMachine(q.machine_id) && this.#remote) {
      return this.#remote.list(query);
    }
    if (q.machine_id !== undefined || !this.#remote) return this.local.list(query);
    const localAll = await this.local.listAll(q.enabled, q.search);
    return this.#merge(localAll, q.limit, q.offset, (limit, offset) =>
      (this.#remote as SchedulesApi).list({ enabled: q.enabled, search: q.search, limit, offset }),
    );
  }

  get(id: string): Promise<Schedule> {
    return this.#owner(id).get(id);
  }

  /** The side a body's machine_id names: another machine is the remote's, when connected. */
  #machineOwner(input: unknown): SchedulesApi {
    const machine = (input as { machine_id?: unknown } | null)?.machine_id;
    const remote = typeof machine === 'string' && !this.local.isLocalMachine(machine.trim());
    return remote && this.#remote ? this.#remote : this.local;
  }

  create(input: ScheduleCreateInput): Promise<Schedule> {
    return this.#machineOwner(input).create(input);
  }

  update(id: string, patch: SchedulePatchInput): Promise<Schedule> {
    return this.#owner(id).update(id, patch);
  }

  remove(id: string): Promise<{ deleted: true }> {
    return this.#owner(id).remove(id);
  }

  runNow(id: string): Promise<RunStarted> {
    return this.#owner(id).runNow(id);
  }

  history(id: string, query?: HistoryQueryInput): Promise<ListResult<Run>> {
    return this.#owner(id).history(id, query);
  }

  getCommand(id: string): Promise<Command> {
    return this.#command(id, (api) => api.getCommand(id));
  }

  runCommand(input: CommandRunInput): Promise<Command> {
    return this.#machineOwner(input).runCommand(input);
  }

  startCommand(input: CommandStartInput): Promise<CommandStarted> {
    return this.#machineOwner(input).startCommand(input);
  }

  listCommands(machineId: string, query?: CommandsQueryInput): Promise<ListResult<Command>> {
    return this.#machine(machineId).listCommands(machineId, query);
  }

  cancelCommand(id: string): Promise<{ cancelled: true }> {
    return this.#command(id, (api) => api.cancelCommand(id));
  }

  async listMachines(query: MachinesQueryInput = {}): Promise<ListResult<Machine>> {
    const q = parseInput(machinesQuerySchema, query, 'query');
    const filters = { status: q.status, tags: q.tags, search: q.search };
    const here = (await this.local.listMachines({ ...filters, limit: 100 })).data;
    return this.#merge(here, q.limit, q.offset, (limit, offset) =>
      (this.#remote as SchedulesApi).listMachines({ ...filters, limit, offset }),
    );
  }

  /** A machine id: this machine's calls stay here, others go to the remote when connected. */
  #machine(id: string): SchedulesApi {
    return this.local.isLocalMachine(id) || !this.#remote ? this.local : this.#remote;
  }

  getMachine(id: string): Promise<Machine> {
    return this.#machine(id).getMachine(id);
  }

  getMachineStatus(id: string): Promise<MachineStatus> {
    return this.#machine(id).getMachineStatus(id);
  }
}
