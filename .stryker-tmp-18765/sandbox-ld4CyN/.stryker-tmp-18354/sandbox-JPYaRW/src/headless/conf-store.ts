// @ts-nocheck
// 
// Under plain Node, `conf` stands in for electron-store: same author, same file format.
import Conf from 'conf';
import type { StoreFactory } from '../core/schedules';

export const confStoreFactory: StoreFactory = (options) =>
  new Conf<Record<string, unknown>>({ ...options, projectName: 'cmdop-scheduler' });
