// The environment a run starts in (src/core/environment.ts): the shell and its flags, the
// order in which variables win, and why an env_file cannot be used. Real files in a temp dir.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnvFile, runEnvironment } from '../../src/core/environment';
import { tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
const isRoot = process.getuid?.() === 0;

describe('the env file', () => {
  it('reads dotenv variables', () => {
    const path = join(dir(), 'vars.env');
    writeFileSync(path, 'A=1\nB="two words"\n');
    expect(readEnvFile(path)).toEqual({ vars: { A: '1', B: 'two words' } });
  });

  it('says why it cannot be read: missing, under a file, a directory', () => {
    const d = dir();
    writeFileSync(join(d, 'file'), '');
    expect(readEnvFile(join(d, 'nope.env'))).toEqual({
      problem: `env_file ${join(d, 'nope.env')} does not exist`,
    });
    expect(readEnvFile(join(d, 'file', 'x.env'))).toEqual({
      problem: `env_file ${join(d, 'file', 'x.env')} does not exist`,
    });
    mkdirSync(join(d, 'sub'));
    expect(readEnvFile(join(d, 'sub'))).toEqual({
      problem: `env_file ${join(d, 'sub')} is a directory`,
    });
  });

  it.skipIf(isRoot)('says when it is not readable', () => {
    const path = join(dir(), 'secret.env');
    writeFileSync(path, 'A=1\n');
    chmodSync(path, 0o000);
    expect(readEnvFile(path)).toEqual({
      problem: `env_file ${path} is not readable (permission denied)`,
    });
  });

  it('names any other error with its message', () => {
    const long = join(dir(), `${'x'.repeat(300)}.env`);
    const result = readEnvFile(long);
    expect(result).toMatchObject({
      problem: expect.stringMatching(/^env_file .* cannot be read \(ENAMETOOLONG/),
    });
  });
});

describe('the run environment', () => {
  const base = { PATH: '/usr/bin', SHELL: '/bin/sh', A: 'app', B: 'app', C: 'app' };

  it('the app, then the schedule, then the env file win', () => {
    const path = join(dir(), 'vars.env');
    writeFileSync(path, 'C=file\n');
    const r = runEnvironment(
      { command: 'echo hi', shell: 'plain', env: { B: 'schedule', C: 'schedule' }, env_file: path },
      base,
      'linux',
    );
    expect(r.env).toMatchObject({ A: 'app', B: 'schedule', C: 'file' });
    expect(r.problem).toBeNull();
    expect(r.envFile).toBe(path);
    expect(base.C).toBe('app');
  });

  it('plain is $SHELL -c; login adds -l', () => {
    const input = { command: 'echo hi', env: {}, env_file: null };
    const plain = runEnvironment({ ...input, shell: 'plain' }, base, 'linux');
    expect(plain.shell).toEqual({ file: '/bin/sh', args: ['-c', 'echo hi'] });
    expect(plain.label).toBe('/bin/sh -c');
    expect(plain.envFile).toBeNull();
    expect(plain.problem).toBeNull();
    const login = runEnvironment({ ...input, shell: 'login' }, base, 'linux');
    expect(login.shell).toEqual({ file: '/bin/sh', args: ['-l', '-c', 'echo hi'] });
    expect(login.label).toBe('/bin/sh -l -c');
  });

  it('cmd.exe has no login mode', () => {
    const r = runEnvironment(
      { command: 'dir', shell: 'login', env: {}, env_file: null },
      base,
      'win32',
    );
    expect(r.shell.file).toBe('cmd.exe');
    expect(r.shell.args[0]).toBe('/d');
    expect(r.label).toBe('cmd.exe /d /s /c');
  });

  it('an unreadable env file is the reason the run cannot start; the rest still applies', () => {
    const missing = join(dir(), 'gone.env');
    const r = runEnvironment(
      { command: 'true', shell: 'plain', env: { B: 'schedule' }, env_file: missing },
      base,
      'linux',
    );
    expect(r.problem).toBe(`env_file ${missing} does not exist`);
    expect(r.env.B).toBe('schedule');
  });
});
