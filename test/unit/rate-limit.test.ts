import { describe, it, expect } from 'vitest';
import { RateLimiter } from '../../src/server/rate-limit';

function fakeClock(start: number) {
  let t = start;
  return {
    clock: { now: () => t },
    set: (ms: number) => {
      t = ms;
    },
  };
}

const T0 = Date.UTC(2026, 0, 1, 0, 0, 30); // 30 s into a minute
const MINUTE_START = Date.UTC(2026, 0, 1, 0, 0, 0);

describe('RateLimiter', () => {
  it('allows 1000 requests a minute and refuses the 1001st', () => {
    const { clock } = fakeClock(T0);
    const limiter = new RateLimiter(1000, 60_000, clock);
    for (let i = 1; i <= 1000; i++) {
      const d = limiter.take('tok');
      expect(d.allowed).toBe(true);
      expect(d.remaining).toBe(1000 - i);
    }
    const over = limiter.take('tok');
    expect(over).toEqual({
      allowed: false,
      limit: 1000,
      remaining: 0,
      reset: (MINUTE_START + 60_000) / 1000,
    });
  });

  it('reports limit, remaining and reset (epoch seconds of the window end)', () => {
    const { clock } = fakeClock(T0);
    const limiter = new RateLimiter(1000, 60_000, clock);
    expect(limiter.take('tok')).toEqual({
      allowed: true,
      limit: 1000,
      remaining: 999,
      reset: Date.UTC(2026, 0, 1, 0, 1, 0) / 1000,
    });
  });

  it('keeps refusing until the window ends, then starts a new one', () => {
    const { clock, set } = fakeClock(T0);
    const limiter = new RateLimiter(3, 60_000, clock);
    for (let i = 0; i < 3; i++) expect(limiter.take('tok').allowed).toBe(true);
    set(MINUTE_START + 59_999);
    expect(limiter.take('tok').allowed).toBe(false);
    set(MINUTE_START + 60_000);
    const fresh = limiter.take('tok');
    expect(fresh).toEqual({
      allowed: true,
      limit: 3,
      remaining: 2,
      reset: (MINUTE_START + 120_000) / 1000,
    });
  });

  it('counts each token separately', () => {
    const { clock } = fakeClock(T0);
    const limiter = new RateLimiter(2, 60_000, clock);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('does not count refused requests against the next window', () => {
    const { clock, set } = fakeClock(T0);
    const limiter = new RateLimiter(2, 60_000, clock);
    for (let i = 0; i < 10; i++) limiter.take('tok');
    set(T0 + 60_000);
    expect(limiter.take('tok')).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.take('tok')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take('tok').allowed).toBe(false);
  });
});
