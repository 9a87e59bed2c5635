/** Options of {@link GroupCommitter}. */
export interface GroupCommitterOptions {
  /** First retry delay after a failed commit (default 50 ms), doubled up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  /** Longest retry delay (default 5000 ms). */
  maxRetryDelayMs?: number;
  /**
   * Shortest time between the starts of two commits (default 0). Adaptive batching alone
   * commits as often as the disk allows: with a fast fsync that is thousands of tiny commits a
   * second, each rewriting whole pages. With a floor, a write that finds the store idle still
   * commits at once; only back-to-back commits are spaced, so under load each batch is larger
   * and the pages written per byte of update fewer. The wait is at most this long.
   */
  minIntervalMs?: number;
  /**
   * Spacing that follows the load: with this set, back-to-back commits are spaced by one
   * millisecond per this many items submitted a second (measured over the last commits), at
   * least `minIntervalMs` and at most `maxIntervalMs`. A light load commits as fast as the disk
   * allows (lowest latency); a heavy one commits less often with larger batches (fewer pages
   * written per update, less CPU per update).
   */
  itemsPerSecondPerMs?: number;
  /**
   * Below this many items submitted a second, commits that follow the load are not spaced at
   * all (default 0: spaced from the first millisecond's worth). Keeps light and moderate loads,
   * where latency matters more than pages written, committing as fast as the disk allows.
   */
  unspacedBelowItemsPerSecond?: number;
  /** Longest spacing that follows the load (default 10 ms). */
  maxIntervalMs?: number;
  /** Called after every successful commit (upkeep that follows the commits, such as the journal's segment relocation). */
  onCommitted?: () => void;
  /** Called on every failed commit (the batch is retried). */
  onError?: (error: unknown) => void;
  /** Called on the first success after one or more failures. */
  onRecovered?: () => void;
}

interface Pending<TItem, TResult> {
  item: TItem;
  resolve: (result: TResult) => void;
}

/**
 * Adaptive group commit: while one batch is being committed, newly submitted items wait;
 * the next batch takes everything that arrived meanwhile. There is no fixed waiting window: a
 * lone write commits at the end of the event-loop turn it arrived in, and a burst shares one fsync.
 *
 * A failed batch is retried, head of line, until it succeeds: items are committed in the
 * order they were submitted and a submit never rejects because of a transient store error.
 */
export class GroupCommitter<TItem, TResult> {
  private waiting: Pending<TItem, TResult>[] = [];
  private inFlight: Promise<void> | null = null;
  private failure: string | null = null;
  private closed = false;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly minIntervalMs: number;
  /** When the last commit started (performance.now()). */
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Items submitted since `rateSince`, and the smoothed submit rate (items/s). */
  private submitted = 0;
  private rateSince = performance.now();
  private rate = 0;

  constructor(
    private readonly commitBatch: (items: TItem[]) => Promise<TResult[]>,
    private readonly options: GroupCommitterOptions = {},
  ) {
    this.retryDelayMs = options.retryDelayMs ?? 50;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
    this.minIntervalMs = options.minIntervalMs ?? 0;
  }

  /** Message of the last failed commit while commits are failing; null once one succeeds. */
  get lastError(): string | null {
    return this.failure;
  }

  /** Number of items waiting for the next batch (not counting the one in flight). */
  get queueLength(): number {
    return this.waiting.length;
  }

  /** Submits one item; resolves with its result once its batch is committed. */
  submit(item: TItem): Promise<TResult> {
    if (this.closed) return Promise.reject(new Error('GroupCommitter is closed'));
    return new Promise<TResult>((resolve) => {
      this.waiting.push({ item, resolve });
      this.submitted++;
      if (!this.inFlight) this.inFlight = this.run();
    });
  }

  /** Resolves once everything submitted so far is committed. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Flushes, then refuses further submits. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    // Items submitted while the first flush was settling.
    await this.flush();
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        // The batch is what arrived by the end of this turn of the event loop: every message
        // read from the sockets that were ready together, not only the first of them.
        await new Promise((resolve) => setImmediate(resolve));
        // A timer may fire up to a millisecond early on the monotonic clock: wait out the rest.
        const interval = this.interval();
        for (let wait = this.lastStart + interval - performance.now(); wait > 0; wait = this.lastStart + interval - performance.now()) {
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
        this.lastStart = performance.now();
        const batch = this.waiting;
        this.waiting = [];
        const results = await this.commitWithRetry(batch.map((pending) => pending.item));
        batch.forEach((pending, index) => pending.resolve(results[index] as TResult));
        try {
          this.options.onCommitted?.();
        } catch {
          // Lower-priority work must never stop the commits.
        }
      }
    } finally {
      this.inFlight = null;
    }
  }

  /** Spacing before the next commit: the floor, or the one that follows the submit rate. */
  private interval(): number {
    const perMs = this.options.itemsPerSecondPerMs;
    if (!perMs) return this.minIntervalMs;
    const now = performance.now();
    const elapsed = now - this.rateSince;
    if (elapsed >= 20) {
      // Smoothed over about the last 100 ms; a quiet spell counts as a low rate.
      const weight = Math.min(1, elapsed / 100);
      this.rate = this.rate * (1 - weight) + (this.submitted / elapsed) * 1000 * weight;
      this.submitted = 0;
      this.rateSince = now;
    }
    // Timers are no finer than a millisecond: a shorter wanted spacing would cost a whole one.
    const wanted = this.rate < (this.options.unspacedBelowItemsPerSecond ?? 0) ? 0 : this.rate / perMs;
    return Math.max(this.minIntervalMs, wanted < 1 ? 0 : Math.min(this.options.maxIntervalMs ?? 10, wanted));
  }

  private async commitWithRetry(items: TItem[]): Promise<TResult[]> {
    let delay = this.retryDelayMs;
    for (;;) {
      try {
        const results = await this.commitBatch(items);
        if (this.failure !== null) {
          this.failure = null;
          this.options.onRecovered?.();
        }
        return results;
      } catch (error) {
        this.failure = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.maxRetryDelayMs);
      }
    }
  }
}
