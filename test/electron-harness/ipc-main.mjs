// The stand-in's ipcMain (https://www.electronjs.org/docs/latest/api/ipc-main): an
// EventEmitter for ipcRenderer.send, plus one handler per channel for ipcRenderer.invoke.
import { EventEmitter } from 'node:events';
import { control } from './control.mjs';

const handlers = new Map();

class IpcMain extends EventEmitter {
  handle(channel, listener) {
    control.record('ipcMain.handle', { channel });
    // Electron throws "Attempted to register a second handler for '<channel>'".
    if (handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    handlers.set(channel, listener);
  }
  handleOnce(channel, listener) {
    this.handle(channel, (...args) => {
      handlers.delete(channel);
      return listener(...args);
    });
  }
  removeHandler(channel) {
    control.record('ipcMain.removeHandler', { channel });
    handlers.delete(channel);
  }
}

export const ipcMain = new IpcMain();

export function handledChannels() {
  return [...handlers.keys()];
}

/**
 * ipcRenderer.invoke arriving in main. "Errors thrown through handle in the main process are
 * not transparent as they are serialized and only the message property from the original
 * error is provided to the renderer process"; values cross by the structured clone algorithm.
 */
export async function invokeFromRenderer(event, channel, args) {
  const handler = handlers.get(channel);
  if (!handler) {
    throw new Error(
      `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`,
    );
  }
  const cloned = structuredClone(args);
  try {
    return structuredClone(await handler(event, ...cloned));
  } catch (error) {
    throw new Error(`Error invoking remote method '${channel}': ${error}`, { cause: error });
  }
}
