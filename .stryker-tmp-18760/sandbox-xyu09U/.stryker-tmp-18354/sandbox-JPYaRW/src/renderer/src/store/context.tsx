// @ts-nocheck
// 
// The store and the API reach components through context, so tests can render any view
// with a store of their own.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppApi } from '../api/types';
import type { AppState, AppStore } from './app';

interface AppContextValue {
  store: AppStore;
  api: AppApi;
  /** 'http' in a browser (the token lives in sessionStorage), 'ipc' in Electron. */
  transport: 'http' | 'ipc';
  /** Tries the live connection again now (HTTP only). */
  reconnect?: () => void;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider(props: AppContextValue & { children: ReactNode }) {
  const { children, ...value } = props;
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useAppContext outside AppProvider');
  return value;
}

export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}
