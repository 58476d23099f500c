// The spine every surface implements or transports: LocalService, RemoteService, Router,
// the IPC bridge and the HTTP client all speak exactly this.
import type {
  HistoryQueryInput,
  ListQueryInput,
  PagingQueryInput,
  ScheduleCreateInput,
  SchedulePatchInput,
} from './schemas';
import type { ListResult, Machine, Run, RunStarted, Schedule } from './types';

export interface SchedulesApi {
  list(query?: ListQueryInput): Promise<ListResult<Schedule>>;
  get(id: string): Promise<Schedule>;
  create(input: ScheduleCreateInput): Promise<Schedule>;
  update(id: string, patch: SchedulePatchInput): Promise<Schedule>;
  remove(id: string): Promise<{ deleted: true }>;
  runNow(id: string): Promise<RunStarted>;
  history(id: string, query?: HistoryQueryInput): Promise<ListResult<Run>>;
  getCommand(id: string): Promise<Run>;
  cancelCommand(id: string): Promise<{ cancelled: true }>;
  listMachines(query?: PagingQueryInput): Promise<ListResult<Machine>>;
  getMachine(id: string): Promise<Machine>;
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
  'listMachines',
  'getMachine',
] as const satisfies readonly (keyof SchedulesApi)[];
