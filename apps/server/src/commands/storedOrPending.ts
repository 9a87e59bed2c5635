import type { Store, StoreUnavailableError } from '../store/ports.js';

/** The store is failing before a command started: nothing was changed, the request may be made again. */
export class StoreNotAnswering extends Error implements StoreUnavailableError {
  readonly storeUnavailable = true as const;
  constructor(reason: string) {
    super(`the store is not answering: ${reason}`);
    this.name = 'StoreNotAnswering';
  }
}

/**
 * A command's document change is queued but the store has not taken it and is failing: the
 * change stays queued and is stored (and the command finished) once the store answers again,
 * so the request must not be made again.
 */
export class ChangePending extends Error implements StoreUnavailableError {
  readonly storeUnavailable = true as const;
  constructor() {
    super('the change is waiting for the store');
    this.name = 'ChangePending';
  }
}

/** Default of {@link StoredOrPendingOptions.pendingAfterMs}. */
export const DEFAULT_PENDING_AFTER_MS = 5000;

export interface StoredOrPendingOptions {
  /**
   * How long a command may wait for its change to be stored before, if the store is failing by
   * then, the caller is told that the change is pending (default 5 s). A store that is slow
   * but not failing is waited for; it is asked again every second.
   */
  pendingAfterMs?: number;
  /** How a command that was reported pending ended (null: it finished). */
  onSettledAfterPending?: (error: unknown) => void;
}

/**
 * Runs a command that changes documents through `applyServerChange` so that its caller always
 * hears back while the store is failing, and never asks for the same change twice:
 *
 * - when the store is already failing, the command does not start ({@link StoreNotAnswering});
 * - when it starts failing while the command waits for its change to be stored, the caller is
 *   told after `pendingAfterMs` that the change is pending ({@link ChangePending}); the command
 *   itself goes on, its change stays queued in commit order, and it finishes (audit entry,
 *   catalogue mirror, live lists) once the store takes the change.
 */
export async function storedOrPending<T>(store: Pick<Store, 'health'>, command: () => Promise<T>, options: StoredOrPendingOptions = {}): Promise<T> {
  const health = store.health();
  if (!health.ok) throw new StoreNotAnswering(health.error ?? 'unhealthy');
  const running = command();
  let timer: NodeJS.Timeout | undefined;
  let reportedPending = false;
  const pending = new Promise<never>((_, reject) => {
    const check = (): void => {
      if (store.health().ok) {
        timer = setTimeout(check, 1000);
        return;
      }
      reportedPending = true;
      reject(new ChangePending());
    };
    timer = setTimeout(check, options.pendingAfterMs ?? DEFAULT_PENDING_AFTER_MS);
  });
  // Whatever the command does after it was reported pending is only reported, never thrown.
  running.then(
    () => {
      if (reportedPending) options.onSettledAfterPending?.(null);
    },
    (error: unknown) => {
      if (reportedPending) options.onSettledAfterPending?.(error);
    },
  );
  try {
    return await Promise.race([running, pending]);
  } finally {
    clearTimeout(timer);
  }
}
