// @ts-nocheck
// 
// The sandboxed preload: exposes the named API verbs and two subscriptions, no more.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, NAVIGATE_CHANNEL } from '../shared/bridge';
import { makeBridge } from './bridge';

function on<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_e: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, handler);
  return () => ipcRenderer.removeListener(channel, handler);
}

const bridge = makeBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args), {
  events: (listener) => on(EVENT_CHANNEL, listener),
  navigate: (listener) => on(NAVIGATE_CHANNEL, listener),
});

contextBridge.exposeInMainWorld('cmdop', bridge);
