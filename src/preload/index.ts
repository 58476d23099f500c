// The preload bridge. It exposes nothing yet: the named SchedulesApi verbs arrive with IPC,
// and raw ipcRenderer is never exposed.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('cmdopInfo', { platform: process.platform });
