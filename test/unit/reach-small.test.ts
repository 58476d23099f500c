// The logger the surfaces hand the engine, and the version the app reports.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { APP_VERSION } from '../../src/core/app-version';
import { consoleLogger, silentLogger } from '../../src/core/log';

describe('consoleLogger', () => {
  it('writes one line per message: an ISO time, the level, the message', () => {
    const lines: string[] = [];
    const log = consoleLogger((l) => lines.push(l));
    log.info('started');
    log.warn('slow disk');
    log.error('boom');
    expect(lines).toHaveLength(3);
    const re = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warn|error) (.*)\n$/;
    expect(lines.map((l) => l.match(re)?.slice(1, 3))).toEqual([
      ['info', 'started'],
      ['warn', 'slow disk'],
      ['error', 'boom'],
    ]);
  });

  it('writes to stderr by default', () => {
    const write = process.stderr.write.bind(process.stderr);
    const got: string[] = [];
    process.stderr.write = ((chunk: string) => {
      got.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      consoleLogger().warn('to stderr');
    } finally {
      process.stderr.write = write;
    }
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/ warn to stderr\n$/);
  });

  it('the silent logger takes every level and says nothing', () => {
    expect(() => {
      silentLogger.info('x');
      silentLogger.warn('x');
      silentLogger.error('x');
    }).not.toThrow();
  });
});

it('APP_VERSION is package.json version', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  expect(APP_VERSION).toBe(pkg.version);
});
