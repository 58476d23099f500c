// @ts-nocheck
// 
// What the error box says when the tray app cannot start or stop: what happened and what the
// user can do about it, in the tray app's terms (it takes no command-line options).
import { DataDirLockedError } from '../core/lock';

export interface ErrorBox {
  title: string;
  message: string;
}

export function startupFailure(error: unknown, dataDir: string | null): ErrorBox {
  if (error instanceof DataDirLockedError) {
    return {
      title: 'Cmdop Scheduler is already running',
      message:
        `Another Cmdop Scheduler (process ${error.pid}) is running your schedules from ` +
        `${error.dataDir}: the tray app in another session, or \`cmdop-scheduler serve\`. ` +
        'Only one of them can run them at a time.\n\n' +
        'Quit the other one (its tray menu → Quit, or Ctrl-C where serve runs), then open ' +
        'Cmdop Scheduler again.',
    };
  }
  const why = error instanceof Error ? error.message : String(error);
  const where = dataDir ? ` Your schedules are kept in ${dataDir}.` : '';
  return {
    title: 'Cmdop Scheduler could not start',
    message:
      `Starting failed: ${why}\n\n` +
      `Nothing was changed and no schedule ran.${where} Check that the folder exists and ` +
      'that you can write to it, then open Cmdop Scheduler again.',
  };
}

export function quitFailure(error: unknown): ErrorBox {
  const why = error instanceof Error ? error.message : String(error);
  return {
    title: 'Cmdop Scheduler did not stop cleanly',
    message:
      `Stopping failed: ${why}\n\n` +
      'The app has quit anyway. Runs that were still going are recorded as interrupted the ' +
      'next time Cmdop Scheduler starts.',
  };
}
