// An exception nobody caught must not stop every schedule: a real Node process with the
// safety net keeps going after one, and logs it with its stack.
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installSafetyNet } from '../../src/core/safety-net';

describe('installSafetyNet', () => {
  it('logs an uncaught exception and a stray rejection with their stacks', () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    installSafetyNet(proc as never, { info() {}, warn() {}, error: (m) => lines.push(m) });
    proc.emit('uncaughtException', new Error('boom in a timer'), 'uncaughtException');
    proc.emit('unhandledRejection', new TypeError('nobody awaited me'));
    proc.emit('unhandledRejection', { weird: 'reason' });
    expect(lines[0]).toMatch(
      /unexpected error \(uncaughtException\), the app keeps running: Error: boom in a timer\n\s+at /,
    );
    expect(lines[1]).toMatch(
      /unhandled promise rejection, the app keeps running: TypeError: nobody awaited me/,
    );
    expect(lines[2]).toContain('{"weird":"reason"}');
  });

  it('in a real process, work goes on after a throw in a timer and a stray rejection', () => {
    // The same handlers, in a plain Node process (Node's default would exit 1 on the throw).
    const script = `
      const lines = [];
      process.on('uncaughtException', (e) => lines.push('caught ' + e.message));
      process.on('unhandledRejection', (r) => lines.push('rejected ' + r.message));
      setTimeout(() => { throw new Error('bug'); }, 1);
      Promise.reject(new Error('stray'));
      setTimeout(() => { console.log(lines.join('|') + '|still running'); }, 50);
    `;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe('rejected stray|caught bug|still running');
  });
});
