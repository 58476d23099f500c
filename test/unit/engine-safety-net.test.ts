// The last line of defence (src/core/safety-net.ts): odd rejection reasons still say what
// they were.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installSafetyNet, type ProcessEvents } from '../../src/core/safety-net';
import { captureLog } from '../helpers/server';

describe('the safety net', () => {
  it('names a rejection with no reason, and one JSON cannot write', () => {
    const proc = new EventEmitter();
    const log = captureLog();
    installSafetyNet(proc as unknown as ProcessEvents, log);
    proc.emit('unhandledRejection', undefined);
    proc.emit('unhandledRejection', 10n);
    const error = new Error('no stack here');
    error.stack = undefined;
    proc.emit('uncaughtException', error, 'uncaughtException');
    expect(log.lines).toEqual([
      'error unhandled promise rejection, the app keeps running: undefined',
      'error unhandled promise rejection, the app keeps running: 10',
      'error unexpected error (uncaughtException), the app keeps running: Error: no stack here',
    ]);
  });
});
