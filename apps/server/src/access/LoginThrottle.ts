/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures allowed before backoff starts (default 5). */
  freeFailures: number;
  /** First backoff (default 1 s), doubled with every further failure. */
  baseDelayMs: number;
  /** Longest backoff (default 15 min). */
  maxDelayMs: number;
  /** Failures are forgotten this long after the last one (default 1 h). */
  forgetAfterMs: number;
}

const defaults: LoginThrottleOptions = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 3600_000 };

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/**
 * Per-account login backoff, keyed by the normalised e-mail whether or not such an account
 * exists (so the answer never tells). In memory: one instance serves a network; with several
 * instances each throttles on its own, which only makes it stricter per instance.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly options: LoginThrottleOptions;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.options = { ...defaults, ...options };
  }

  /** Milliseconds until another attempt is allowed (0: go ahead). */
  retryAfterMs(key: string, now = Date.now()): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    if (now - entry.lastFailure > this.options.forgetAfterMs) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, entry.lockedUntil - now);
  }

  failed(key: string, now = Date.now()): void {
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
    entry.failures++;
    entry.lastFailure = now;
    const over = entry.failures - this.options.freeFailures;
    if (over >= 0) entry.lockedUntil = now + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** over);
    this.entries.set(key, entry);
    if (this.entries.size > 100_000) this.prune(now);
  }

  succeeded(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailure > this.options.forgetAfterMs) this.entries.delete(key);
    }
  }
}
