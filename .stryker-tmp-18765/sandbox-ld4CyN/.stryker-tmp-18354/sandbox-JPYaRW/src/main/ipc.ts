// @ts-nocheck
// 
// IPC: one channel per verb. Every payload is validated with the shared zod schemas and
// every sender is checked against the app's own page before anything runs; answers carry
// the API error body, because Error objects lose their fields crossing IPC.
import { z } from 'zod';
import {
  BRIDGE_METHODS,
  type AppApiVerbs,
  type BridgeMethod,
  type IpcResult,
} from '../shared/bridge';
import { ApiError } from '../shared/errors';
import type { EventFeed, ApiEvent } from '../shared/events';
import {
  commandRunSchema,
  commandsQuerySchema,
  commandStartSchema,
  historyQuerySchema,
  issuesToFields,
  listQuerySchema,
  machinesQuerySchema,
  scheduleCreateSchema,
  schedulePatchSchema,
} from '../shared/schemas';
import { remoteTestSchema, settingsPatchSchema } from '../shared/settings';
import { batchSchema } from '../shared/batch';
import { restoreSchema } from '../shared/backups';
import { notifyTestSchema } from '../shared/alerts-api';
import { cronFiresSchema, firesQuerySchema } from '../shared/fires-api';
import { decisionAtQuerySchema, decisionsQuerySchema } from '../shared/decisions-api';

export const channel = (method: BridgeMethod) => `cmdop:${method}`;

const id = z.string().min(1).max(200);

/** The argument list each verb accepts: the same schemas as the REST server's. */
export const IPC_ARGS: Record<BridgeMethod, z.ZodType> = {
  list: z.tuple([listQuerySchema.optional()]),
  get: z.tuple([id]),
  create: z.tuple([scheduleCreateSchema]),
  update: z.tuple([id, schedulePatchSchema]),
  remove: z.tuple([id]),
  runNow: z.tuple([id]),
  history: z.tuple([id, historyQuerySchema.optional()]),
  getCommand: z.tuple([id]),
  cancelCommand: z.tuple([id]),
  runCommand: z.tuple([commandRunSchema]),
  startCommand: z.tuple([commandStartSchema]),
  listCommands: z.tuple([id, commandsQuerySchema.optional()]),
  listMachines: z.tuple([machinesQuerySchema.optional()]),
  getMachine: z.tuple([id]),
  getMachineStatus: z.tuple([id]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsPatchSchema]),
  rotateToken: z.tuple([]),
  testRemote: z.tuple([remoteTestSchema.optional()]),
  createBatch: z.tuple([batchSchema]),
  listBackups: z.tuple([]),
  createBackup: z.tuple([]),
  restoreBackup: z.tuple([id, restoreSchema.optional()]),
  testNotify: z.tuple([id, notifyTestSchema.optional()]),
  scheduleFires: z.tuple([id, firesQuerySchema.optional()]),
  cronFires: z.tuple([cronFiresSchema]),
  decisions: z.tuple([id, decisionsQuerySchema.optional()]),
  decisionAt: z.tuple([id, decisionAtQuerySchema]),
};

/** Names for the arguments, so an error about a whole argument says which one. */
const ARG_NAMES: Partial<Record<BridgeMethod, string[]>> = {
  list: ['query'],
  create: ['body'],
  update: ['id', 'patch'],
  history: ['id', 'query'],
  runCommand: ['body'],
  startCommand: ['body'],
  listCommands: ['id', 'query'],
  listMachines: ['query'],
  updateSettings: ['patch'],
  createBatch: ['body'],
  restoreBackup: ['id', 'body'],
  testNotify: ['id', 'body'],
  scheduleFires: ['id', 'query'],
  cronFires: ['body'],
  decisions: ['id', 'query'],
  decisionAt: ['id', 'query'],
};

const OBJECT_ARGS = new Set(['body', 'patch', 'query']);

function argPath(verb: BridgeMethod, path: readonly PropertyKey[]): PropertyKey[] {
  const [index, ...rest] = path;
  if (index === undefined) return ['arguments'];
  const name = ARG_NAMES[verb]?.[Number(index)] ?? (Number(index) === 0 ? 'id' : 'argument');
  // Inside an object argument its own field names are the fields, as over HTTP.
  return OBJECT_ARGS.has(name) ? rest : [name, ...rest];
}

function failure(error: ApiError): IpcResult<never> {
  return { ok: false, status: error.status, error: error.toBody().error };
}

/** Validates and runs one call; never throws. */
export async function handleInvoke(
  api: AppApiVerbs,
  method: string,
  args: unknown[],
  senderUrl: string,
  isTrusted: (url: string) => boolean,
): Promise<IpcResult<unknown>> {
  if (!isTrusted(senderUrl)) {
    return failure(new ApiError('forbidden', 'IPC from a page that is not the app was refused'));
  }
  if (!(BRIDGE_METHODS as readonly string[]).includes(method)) {
    return failure(new ApiError('not_found', `Unknown IPC verb ${method}`));
  }
  const verb = method as BridgeMethod;
  const parsed = IPC_ARGS[verb].safeParse(args, { reportInput: true });
  if (!parsed.success) {
    // Issues are addressed by argument position first; the fields are what follows it.
    const fields = issuesToFields(
      parsed.error.issues.map((i) =>
        i.path.length === 0 && (i.code === 'too_small' || i.code === 'too_big')
          ? {
              ...i,
              path: ['arguments'],
              message: `${verb} takes ${ARG_NAMES[verb]?.length ?? 1} argument(s), got ${args.length}`,
            }
          : { ...i, path: argPath(verb, i.path) },
      ),
    );
    return failure(ApiError.invalid(fields, `${verb} arguments`));
  }
  try {
    // The original arguments go on: services parse them again, and parsed outputs (a
    // since turned into ms, say) are not valid inputs.
    const fn = api[verb] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await fn.apply(api, args) };
  } catch (e) {
    if (e instanceof ApiError) return failure(e);
    return failure(new ApiError('internal', 'Internal error; see the app log for details'));
  }
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export function registerIpc(
  ipcMain: IpcMainLike,
  api: AppApiVerbs,
  isTrusted: (url: string) => boolean,
): () => void {
  for (const method of BRIDGE_METHODS) {
    ipcMain.handle(channel(method), (event, ...args) =>
      handleInvoke(api, method, args, event.senderFrame?.url ?? '', isTrusted),
    );
  }
  return () => BRIDGE_METHODS.forEach((m) => ipcMain.removeHandler(channel(m)));
}

/** Engine events to the window; the token never leaves in an event. */
export function forwardEvents(feed: EventFeed, send: (event: ApiEvent) => void): () => void {
  return feed.subscribe(send);
}
