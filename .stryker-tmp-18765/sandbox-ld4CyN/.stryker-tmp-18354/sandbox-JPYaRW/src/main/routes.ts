// @ts-nocheck
// 
// Which page of the window main opens for a tray item or a notification click.
import type { Notice } from '../core/notifications';
import { routeHash, type Route } from '../shared/routes';
import type { TrayAction } from './trayModel';

/**
 * The run a notice is about; a summary of many runs opens the list — only the failures when
 * the summary is about failures, since those are what the user has to look at.
 */
export function noticeRoute(
  notice: Pick<Notice, 'commandId' | 'scheduleId'> & Partial<Pick<Notice, 'summary' | 'kind'>>,
): string {
  const route: Route = notice.commandId
    ? { name: 'run', commandId: notice.commandId }
    : notice.summary && notice.kind === 'failure'
      ? { name: 'schedules', filter: 'failed' }
      : notice.scheduleId
        ? { name: 'history', scheduleId: notice.scheduleId }
        : { name: 'schedules' };
  return routeHash(route);
}

/** The page a tray action opens, or null for actions that stay in the tray. */
export function trayActionRoute(action: TrayAction): string | null {
  switch (action.kind) {
    case 'history':
      return routeHash({ name: 'history', scheduleId: action.scheduleId });
    case 'openRun':
      return routeHash({ name: 'run', commandId: action.commandId });
    case 'failures':
      return routeHash({ name: 'schedules', filter: 'failed' });
    case 'newSchedule':
      return routeHash({ name: 'new' });
    case 'settings':
      return routeHash({ name: 'settings' });
    case 'open':
      // Whatever the window shows now: reopening it should not lose the user's place.
      return '';
    default:
      return null;
  }
}
