// The sandboxed preload: exposes the named API verbs and an event subscription, no more.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent } from '../shared/events';
import { makeBridge } from './bridge';

const bridge = makeBridge(
  (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  (listener) => {
    const handler = (_e: IpcRendererEvent, event: ApiEvent) => listener(event);
    ipcRenderer.on('cmdop:event', handler);
    return () => ipcRenderer.removeListener('cmdop:event', handler);
  },
);

contextBridge.exposeInMainWorld('cmdop', bridge);
