// @ts-nocheck
// 
// The spine every surface implements or transports: LocalService, RemoteService, Router,
// the IPC bridge and the HTTP client all speak exactly this.
import type { Command, CommandStarted } from './cmdop-command';
import type {
  CommandRunInput,
  CommandsQueryInput,
  CommandStartInput,
  HistoryQueryInput,
  ListQueryInput,
  MachinesQueryInput,
  ScheduleCreateInput,
  SchedulePatchInput,
} from './schemas';
import type { ListResult, Machine, MachineStatus, Run, RunStarted, Schedule } from './types';

export interface SchedulesApi {
  list(query?: ListQueryInput): Promise<ListResult<Schedule>>;
  get(id: string): Promise<Schedule>;
  create(input: ScheduleCreateInput): Promise<Schedule>;
  update(id: string, patch: SchedulePatchInput): Promise<Schedule>;
  remove(id: string): Promise<{ deleted: true }>;
  runNow(id: string): Promise<RunStarted>;
  history(id: string, query?: HistoryQueryInput): Promise<ListResult<Run>>;
  /** Cmdop's command shape; `toRun` (cmdop-command.ts) reads it back as a run. */
  getCommand(id: string): Promise<Command>;
  cancelCommand(id: string): Promise<{ cancelled: true }>;
  /** POST /v1/commands: runs an ad-hoc command on a machine and waits for its end. */
  runCommand(input: CommandRunInput): Promise<Command>;
  /** POST /v1/commands/async: starts one and answers at once. */
  startCommand(input: CommandStartInput): Promise<CommandStarted>;
  /** GET /v1/machines/:id/commands: a machine's ad-hoc commands, newest first. */
  listCommands(machineId: string, query?: CommandsQueryInput): Promise<ListResult<Command>>;
  listMachines(query?: MachinesQueryInput): Promise<ListResult<Machine>>;
  getMachine(id: string): Promise<Machine>;
  getMachineStatus(id: string): Promise<MachineStatus>;
}

/** The verbs, in one list, so transports can be checked against the interface. */
export const SCHEDULES_API_METHODS = [
  'list',
  'get',
  'create',
  'update',
  'remove',
  'runNow',
  'history',
  'getCommand',
  'cancelCommand',
  'runCommand',
  'startCommand',
  'listCommands',
  'listMachines',
  'getMachine',
  'getMachineStatus',
] as const satisfies readonly (keyof SchedulesApi)[];
