// @ts-nocheck
// 
// Ad-hoc commands on this machine, as Cmdop's Commands API has them: POST /v1/commands runs
// one and answers when it ends (bounded by its timeout), /v1/commands/async answers at once,
// GET /v1/machines/:id/commands lists them. They go through the engine like a schedule's
// run — same runner, output caps, start gate, orphan handling and history — recorded under
// the synthetic owner "adhoc", so they never show up in schedule lists.
import { userInfo } from 'node:os';
import {
  ADHOC_OWNER,
  commandStatusOf,
  toCommand,
  type Command,
  type CommandStarted,
} from '../shared/cmdop-command';
import { ApiError } from '../shared/errors';
import {
  commandRunSchema,
  commandsQuerySchema,
  commandStartSchema,
  DEFAULT_NOTIFY,
  parseInput,
  scheduleCreateSchema,
  type CommandRunInput,
  type CommandsQueryInput,
  type CommandSpec,
  type CommandStartInput,
} from '../shared/schemas';
import type { Clock } from '../shared/time';
import type { ListResult, Run } from '../shared/types';
import type { Engine } from './engine';
import type { EventBus } from './events';
import type { ScheduleRepository, StoredSchedule } from './schedules';

/** More ad-hoc commands than this at once is a runaway client, not a person. */
export const ADHOC_RUNNING_MAX = 64;

export interface AdhocDeps {
  engine: Engine;
  events: EventBus;
  repo: ScheduleRepository;
  clock: Clock;
  machineId: string;
  /** Throws 404 for a machine this is not (checked after the body's own rules, as create does). */
  checkMachine(id: string): void;
}

function currentUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null; // no passwd entry (some containers)
  }
}

export class AdhocCommands {
  constructor(private readonly deps: AdhocDeps) {}

  /** A run (ad-hoc or a schedule's) in Cmdop's command shape. */
  toCommand(run: Run): Command {
    const schedule = run.schedule_id === ADHOC_OWNER ? null : this.deps.repo.get(run.schedule_id);
    return toCommand(run, this.deps.machineId, schedule?.command ?? null);
  }

  /**
   * The owner a run needs, filled from the schedule schema's own defaults: every field a
   * schedule has (today's and those added later) gets the value a new schedule would.
   */
  #owner(spec: CommandSpec): StoredSchedule {
    const {
      machine_id: _machine,
      notify,
      ...fields
    } = scheduleCreateSchema.parse({
      name: 'ad-hoc command',
      machine_id: 'local',
      command: spec.command,
      cron: '@yearly',
      cwd: spec.cwd ?? null,
      env: spec.env ?? {},
      timeout: spec.timeout,
    });
    const now = new Date(this.deps.clock.now()).toISOString();
    return {
      ...fields,
      id: ADHOC_OWNER,
      notify: { ...DEFAULT_NOTIFY, ...notify },
      created_at: now,
      updated_at: now,
    };
  }

  #start(spec: CommandSpec): Run {
    this.deps.checkMachine(spec.machine_id);
    const me = currentUser();
    if (spec.user !== undefined && spec.user !== me) {
      throw ApiError.invalid(
        {
          user: `commands run as the app's user${me ? ` (${me})` : ''}; running as '${spec.user}' is not supported`,
        },
        'command',
      );
    }
    const running = this.deps.engine.adhocRunning();
    if (running >= ADHOC_RUNNING_MAX) {
      throw new ApiError(
        'conflict',
        `${running} ad-hoc commands are running, the most allowed at once; wait for one to end or cancel one`,
        { running, limit: ADHOC_RUNNING_MAX },
      );
    }
    return this.deps.engine.runAdhoc(this.#owner(spec));
  }

  /** POST /v1/commands/async: started, not awaited. */
  start(input: CommandStartInput): CommandStarted {
    const run = this.#start(parseInput(commandStartSchema, input, 'command'));
    return { id: run.command_id, status: 'running', command_id: run.command_id, run_id: run.id };
  }

  /** POST /v1/commands: started and awaited; the timeout (default 60 s) bounds the wait. */
  async run(input: CommandRunInput): Promise<Command> {
    const spec = parseInput(commandRunSchema, input, 'command');
    let commandId: string | null = null;
    let finish: (run: Run) => void = () => {};
    const finished = new Promise<Run>((resolve) => (finish = resolve));
    // Subscribed before it starts: a command that ends at once is not missed.
    const unsubscribe = this.deps.events.subscribe((e) => {
      if (e.type === 'run.finished' && e.run.command_id === commandId) finish(e.run);
    });
    try {
      commandId = this.#start(spec).command_id;
      return this.toCommand(await finished);
    } finally {
      unsubscribe();
    }
  }

  /** GET /v1/machines/:id/commands: this machine's ad-hoc commands, newest first. */
  list(query: CommandsQueryInput = {}): ListResult<Command> {
    const q = parseInput(commandsQuerySchema, query, 'query');
    const { history } = this.deps.engine;
    if (q.status === undefined) {
      const { since, limit, offset } = q;
      const { data, total } = history.list(ADHOC_OWNER, { since, limit, offset });
      return {
        data: data.map((r) => this.toCommand(r)),
        meta: { total, limit: q.limit, offset: q.offset },
      };
    }
    // Cmdop's `failed` is three of our statuses: filter on the index, read only the page.
    const page: string[] = [];
    let total = 0;
    history.scanRuns(ADHOC_OWNER, (entry) => {
      if (q.since !== undefined && entry.startedMs < q.since) return false;
      if (commandStatusOf(entry.status) !== q.status) return true;
      if (total >= q.offset && page.length < q.limit) page.push(entry.commandId);
      total++;
      return true;
    });
    const data = page
      .map((id) => history.getByCommand(id))
      .filter((r): r is Run => r !== undefined)
      .map((r) => this.toCommand(r));
    return { data, meta: { total, limit: q.limit, offset: q.offset } };
  }
}
