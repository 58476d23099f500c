// @ts-nocheck
// 
// The window title names the view, so tabs, the task switcher and history entries say where
// they lead. A dialog's title gives way to the page's again when it closes.
import { useEffect } from 'react';

export const APP_NAME = 'Cmdop Scheduler';

export function useTitle(page: string): void {
  useEffect(() => {
    const before = document.title;
    document.title = `${page} — ${APP_NAME}`;
    return () => {
      document.title = before;
    };
  }, [page]);
}
