// Runs first in the harness child (node --import boot.mjs out/main/index.js): makes the
// process look like Electron's main process, opens the control channel to the test, injects
// the faults a scenario asks for, and points every `import 'electron'` at the stand-in.
import { register, syncBuiltinESMExports } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import { control } from './control.mjs';

const scenario = JSON.parse(process.env.HARNESS_SCENARIO ?? '{}');

// The platform branches of main (darwin, win32) run here on Linux: only what main reads
// changes, the file system and processes stay this machine's.
if (scenario.platform && scenario.platform !== process.platform) {
  Object.defineProperty(process, 'platform', { value: scenario.platform });
}

// Electron's main process: process.type is 'browser', process.versions.electron is set
// (https://www.electronjs.org/docs/latest/api/process).
Object.defineProperty(process, 'type', { value: 'browser' });
process.versions.electron = '45.5.0';
// For an unpackaged app this is Electron's own resources folder.
process.resourcesPath = new URL('./resources', import.meta.url).pathname;

// Electron shows uncaught exceptions of the main process in an error box and keeps running
// ("A JavaScript error occurred in the main process"); unhandled rejections only warn
// (Electron runs Node with --unhandled-rejections=warn; the driver passes that flag).
process.on('uncaughtException', (error) => {
  control.record('dialog.showErrorBox', {
    title: 'A JavaScript error occurred in the main process',
    content: `Uncaught Exception:\n${error?.stack ?? String(error)}`,
    uncaught: true,
  });
});
process.on('unhandledRejection', (reason) => {
  control.record('process.unhandledRejection', { message: String(reason?.message ?? reason) });
});

// Faults at the OS boundary, for the bad days a scenario needs: e.g. deleting the lock file
// refused with EBUSY, as Windows does while another process holds it open.
for (const fault of scenario.faults ?? []) {
  if (!fault.fs) continue;
  const original = fs[fault.fs];
  fs[fault.fs] = function (path, ...rest) {
    if (String(path).includes(fault.match)) {
      const error = new Error(`${fault.code}: resource busy or locked, ${fault.fs} '${path}'`);
      error.code = fault.code;
      throw error;
    }
    return original.call(this, path, ...rest);
  };
  // ESM importers of node:fs see the patched function only after this.
  syncBuiltinESMExports();
}
if (scenario.platform === 'win32') {
  // node-notifier and friends ask os.type(), not process.platform.
  os.type = () => 'Windows_NT';
  syncBuiltinESMExports();
}

register('./loader.mjs', import.meta.url);
