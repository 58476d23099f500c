// @ts-nocheck
// 
// Fixed one-minute windows per token, as the Cmdop API announces in its X-RateLimit headers.
import type { Clock } from '../shared/time';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds at which the current window ends. */
  reset: number;
}

export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  take(key: string): RateDecision {
    const now = this.clock.now();
    let w = this.#windows.get(key);
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now - (now % this.windowMs), count: 0 };
      this.#windows.set(key, w);
    }
    const allowed = w.count < this.limit;
    if (allowed) w.count++;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      reset: Math.ceil((w.start + this.windowMs) / 1000),
    };
  }
}
