/** Options of {@link WritePlacement}. */
export interface WritePlacementOptions {
  /**
   * An inline write that takes longer than this (ms) sends the next writes to the thread pool.
   * 0: every write goes to the thread pool.
   */
  limitMs: number;
  /** How long writes stay in the thread pool after the first slow one (default 1 s). */
  firstBackoffMs?: number;
  /** Longest stay, reached by doubling while inline writes keep being slow (default 60 s). */
  maxBackoffMs?: number;
  /** Called when a slow inline write moves writes to the thread pool. */
  onSlow?: (tookMs: number, backoffMs: number) => void;
}

/**
 * Where the journal's durable writes run: on the event loop while the disk answers fast, in
 * libuv's thread pool after it did not.
 *
 * A durable write handed to the thread pool wakes a pool thread and, when it is done, the
 * event loop again. On a virtual machine those two wake-ups cost more CPU than the write itself
 * (measured on the 2-core VM of the benchmark: an O_DSYNC write of 300 bytes takes about 64 µs
 * of CPU inline and about 118 µs through the pool). Inline, the event loop waits for the disk
 * (about 0.2 ms there), which is shorter than the round trip through the pool, and whatever
 * arrives meanwhile is the next batch.
 *
 * A slow disk must not hold the event loop: the first inline write slower than `limitMs` sends
 * the following writes to the pool for `firstBackoffMs`, doubled (up to `maxBackoffMs`) each
 * time the next inline try is slow again, and reset by a fast one. So a disk that stays slow
 * holds the event loop for one write a minute at most.
 */
export class WritePlacement {
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private backoffMs: number;
  /** Writes run in the pool until this time (performance.now()). */
  private pooledUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: WritePlacementOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
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
    if (ms <= this.options.limitMs) {
      this.backoffMs = this.firstBackoffMs;
      return;
    }
    this.pooledUntil = this.now() + this.backoffMs;
    this.options.onSlow?.(ms, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
  }
}
