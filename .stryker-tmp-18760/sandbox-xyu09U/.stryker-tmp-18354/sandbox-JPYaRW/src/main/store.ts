// @ts-nocheck
// 
// In the tray app, electron-store keeps the same file conf keeps for the headless server
// (same author, same format): either process can own the data directory.
import Store from 'electron-store';
import type { StoreFactory } from '../core/schedules';

export const electronStoreFactory: StoreFactory = ({ cwd, configName, configFileMode }) =>
  new Store<Record<string, unknown>>({ cwd, name: configName, configFileMode });
