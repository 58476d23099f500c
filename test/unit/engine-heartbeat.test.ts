// The last-alive instant on disk (src/core/heartbeat.ts): what a restart reads to know which
// fires it missed. Real files in a temp dir, FakeTime for the beats.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Heartbeat, HEARTBEAT_FILE, HEARTBEAT_MS, readLastAlive } from '../../src/core/heartbeat';
import { StorageHealth } from '../../src/core/storage-health';
import { FakeTime } from '../helpers/fake-time';
import { captureLog, tempDirs } from '../helpers/server';

const dir = tempDirs(afterEach);
const onDisk = (d: string) => JSON.parse(readFileSync(join(d, HEARTBEAT_FILE), 'utf8'));

describe('the last-alive instant', () => {
  it('is null on a first start, for a damaged file, or a value that is no instant', () => {
    const d = dir();
    expect(readLastAlive(d)).toBeNull();
    writeFileSync(join(d, HEARTBEAT_FILE), '{not json');
    expect(readLastAlive(d)).toBeNull();
    writeFileSync(join(d, HEARTBEAT_FILE), JSON.stringify({ last_alive: 1780300000000 }));
    expect(readLastAlive(d)).toBeNull();
    writeFileSync(
      join(d, HEARTBEAT_FILE),
      JSON.stringify({ last_alive: ['2026-06-01T10:00:00Z'] }),
    );
    expect(readLastAlive(d)).toBeNull();
    writeFileSync(join(d, HEARTBEAT_FILE), JSON.stringify({ last_alive: 'yesterday' }));
    expect(readLastAlive(d)).toBeNull();
    writeFileSync(join(d, HEARTBEAT_FILE), JSON.stringify({ last_alive: '2026-06-01T10:00:00Z' }));
    expect(readLastAlive(d)).toBe(Date.parse('2026-06-01T10:00:00Z'));
  });
});

describe('the heartbeat', () => {
  it('beats at start, every few seconds, and once more at stop; then no more', () => {
    const d = dir();
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const log = captureLog();
    const hb = new Heartbeat(d, time.clock, time, log);
    expect(hb.read()).toBeNull();
    hb.start();
    expect(onDisk(d)).toEqual({ last_alive: '2026-06-01T10:00:00.000Z' });
    time.advanceBy(HEARTBEAT_MS - 1);
    expect(hb.read()).toBe(Date.parse('2026-06-01T10:00:00Z'));
    time.advanceBy(1);
    expect(hb.read()).toBe(Date.parse('2026-06-01T10:00:05Z'));
    time.advanceBy(HEARTBEAT_MS);
    expect(hb.read()).toBe(Date.parse('2026-06-01T10:00:10Z'));
    time.advanceBy(2_000);
    hb.stop();
    expect(hb.read()).toBe(Date.parse('2026-06-01T10:00:12Z'));
    expect(time.pendingCount).toBe(0);
    time.advanceBy(60_000);
    expect(hb.read()).toBe(Date.parse('2026-06-01T10:00:12Z'));
    expect(log.lines).toEqual([]);
  });

  it('beats at its own pace', () => {
    const d = dir();
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const hb = new Heartbeat(d, time.clock, time, captureLog(), 1_000);
    hb.start();
    time.advanceBy(1_000);
    expect(hb.read()).toBe(Date.parse('2026-06-01T10:00:01Z'));
    hb.stop();
  });

  it('a write that fails is reported to storage health, and cleared when writing works again', () => {
    const parent = dir();
    const d = join(parent, 'not-yet');
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const log = captureLog();
    const health = new StorageHealth(time.clock, log);
    const hb = new Heartbeat(d, time.clock, time, log, HEARTBEAT_MS, health);
    hb.beat();
    expect(health.status().problem).toMatchObject({ scope: 'state', code: 'ENOENT' });
    mkdirSync(d);
    hb.beat();
    expect(health.status()).toEqual({ ok: true, problem: null });
    expect(log.lines).toContain('info storage: writing state works again');
  });

  it('without storage health a failed write is a warning, and the schedules go on', () => {
    const d = join(dir(), 'missing');
    const time = new FakeTime('2026-06-01T10:00:00Z');
    const log = captureLog();
    const hb = new Heartbeat(d, time.clock, time, log);
    hb.start();
    time.advanceBy(HEARTBEAT_MS);
    expect(log.lines[0]).toMatch(/^warn could not record the heartbeat: ENOENT/);
    expect(log.lines).toHaveLength(2);
    hb.stop();
  });
});
