/** What moved writes to the thread pool, and for how long. */
export interface SlowWrites {
  /** The last inline write (ms). */
  tookMs: number;
  /** Moving average of inline writes (ms). */
  averageMs: number;
  backoffMs: number;
}

/** Options of {@link WritePlacement}. */
export interface WritePlacementOptions {
  /**
   * Inline writes that take longer than this (ms) on average (a moving average over about the
   * last ten) send the next writes to the thread pool. 0: every write goes to the thread pool.
   */
  limitMs: number;
  /** A single inline write longer than this (ms) does too (default 50). */
  spikeLimitMs?: number;
  /** How long writes stay in the thread pool after the first slow one (default 1 s). */
  firstBackoffMs?: number;
  /** Longest stay, reached by doubling while inline writes keep being slow (default 60 s). */
  maxBackoffMs?: number;
  /** Called when slow inline writes move writes to the thread pool. */
  onSlow?: (slow: SlowWrites) => void;
}

/**
 * Where the journal's durable writes run: on the event loop while the disk answers fast, in
 * libuv's thread pool after it did not.
 *
 * A durable write handed to the thread pool wakes a pool thread and, when it is done, the
 * event loop again. On a virtual machine those two wake-ups cost almost as much CPU as the write
 * (measured on the 2-core VM of the benchmark: an O_DSYNC write of 300 bytes takes about 64 µs
 * of CPU inline and about 118 µs through the pool). Inline, the event loop waits for the disk
 * (about 0.2 ms there), which is shorter than the round trip through the pool, and whatever
 * arrives meanwhile is the next batch.
 *
 * A slow disk must not hold the event loop. A disk on a virtual machine has a tail (there,
 * writes of 2 to 15 ms every few seconds, now and then one of 60 ms, among writes of 0.2 ms)
 * which costs the event loop little. What sends the following writes to the pool is a moving
 * average of inline writes above `limitMs`, or one write above `spikeLimitMs`. They stay there
 * for `firstBackoffMs`, doubled (up to `maxBackoffMs`) each time the next inline try is slow
 * again and reset by a fast one: a disk that stays slow holds the event loop for one write a
 * minute at most.
 */
export class WritePlacement {
  private readonly spikeLimitMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private backoffMs: number;
  /** Writes run in the pool until this time (performance.now()). */
  private pooledUntil = Number.NEGATIVE_INFINITY;
  /** Moving average of inline write times (ms). */
  private averageMs = 0;

  constructor(
    private readonly options: WritePlacementOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.spikeLimitMs = options.spikeLimitMs ?? 50;
    this.firstBackoffMs = options.firstBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.backoffMs = this.firstBackoffMs;
  }

  /** Whether the next write runs on the event loop. */
  inline(): boolean {
    return this.options.limitMs > 0 && this.now() >= this.pooledUntil;
  }

  /** Records how long an inline write took (whether or not it succeeded). */
  inlineTook(ms: number): void {
    this.averageMs += (ms - this.averageMs) / 10;
    if (this.averageMs <= this.options.limitMs && ms <= this.spikeLimitMs) {
      this.backoffMs = this.firstBackoffMs;
      return;
    }
    this.pooledUntil = this.now() + this.backoffMs;
    this.options.onSlow?.({ tookMs: ms, averageMs: this.averageMs, backoffMs: this.backoffMs });
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    // Back at the limit: after the backoff, one fast write keeps writes inline, one slow one does not.
    this.averageMs = Math.min(this.averageMs, this.options.limitMs);
  }
}
