// @ts-nocheck
// 
// The Schedules API over the Electron preload bridge (`window.cmdop`). Each verb resolves
// to a result carrying the API error body, turned back into an ApiError here.
import type { SchedulesApi } from '../../../shared/api';
import type { CmdopBridge, IpcResult, MoveApi } from '../../../shared/bridge';
import { ApiError } from '../../../shared/errors';
import type { ApiEvent } from '../../../shared/events';
import type { FiresApi } from '../../../shared/fires-api';
import type { SettingsApi } from '../../../shared/settings';
import type { AlertsApi } from '../../../shared/alerts-api';
import type { DecisionsApi } from '../../../shared/decisions';
import type { AppApi } from './types';

async function unwrap<T>(result: Promise<IpcResult<T>>): Promise<T> {
  const r = await result;
  if (r.ok) return r.value;
  throw new ApiError(r.error.code, r.error.message, r.error.details ?? {}, r.status);
}

export function ipcApi(bridge: CmdopBridge): AppApi {
  const verbs: SchedulesApi & SettingsApi & MoveApi & AlertsApi & FiresApi & DecisionsApi = {
    list: (q) => unwrap(bridge.list(q)),
    get: (id) => unwrap(bridge.get(id)),
    create: (input) => unwrap(bridge.create(input)),
    update: (id, patch) => unwrap(bridge.update(id, patch)),
    remove: (id) => unwrap(bridge.remove(id)),
    runNow: (id) => unwrap(bridge.runNow(id)),
    history: (id, q) => unwrap(bridge.history(id, q)),
    getCommand: (id) => unwrap(bridge.getCommand(id)),
    cancelCommand: (id) => unwrap(bridge.cancelCommand(id)),
    runCommand: (input) => unwrap(bridge.runCommand(input)),
    startCommand: (input) => unwrap(bridge.startCommand(input)),
    listCommands: (id, q) => unwrap(bridge.listCommands(id, q)),
    listMachines: (q) => unwrap(bridge.listMachines(q)),
    getMachine: (id) => unwrap(bridge.getMachine(id)),
    getMachineStatus: (id) => unwrap(bridge.getMachineStatus(id)),
    getSettings: () => unwrap(bridge.getSettings()),
    updateSettings: (patch) => unwrap(bridge.updateSettings(patch)),
    rotateToken: () => unwrap(bridge.rotateToken()),
    testRemote: (input) => unwrap(bridge.testRemote(input)),
    createBatch: (input) => unwrap(bridge.createBatch(input)),
    listBackups: () => unwrap(bridge.listBackups()),
    createBackup: () => unwrap(bridge.createBackup()),
    restoreBackup: (id, options) => unwrap(bridge.restoreBackup(id, options)),
    testNotify: (id, input) => unwrap(bridge.testNotify(id, input)),
    scheduleFires: (id, query) => unwrap(bridge.scheduleFires(id, query)),
    cronFires: (input) => unwrap(bridge.cronFires(input)),
    decisions: (id, q) => unwrap(bridge.decisions(id, q)),
    decisionAt: (id, q) => unwrap(bridge.decisionAt(id, q)),
  };
  return {
    ...verbs,
    subscribe: (listener: (event: ApiEvent) => void) => bridge.onEvent(listener),
  };
}
