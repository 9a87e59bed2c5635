import type { DocumentChanger, Store, StoreUnavailableError } from '../store/ports.js';

/** The store is failing before a command started: nothing was changed, the request may be made again. */
export class StoreNotAnswering extends Error implements StoreUnavailableError {
  readonly storeUnavailable = true as const;
  /** Logged by the error handler (the store's own message is not). */
  readonly code = 'store_failing';
  constructor(reason: string) {
    super(`the store is not answering: ${reason}`);
    this.name = 'StoreNotAnswering';
  }
}

/**
 * A command's document change has waited for the store too long: it stays queued in commit
 * order and is stored (and the command finished) once the store takes it, so the request must
 * not be made again. Not a {@link StoreUnavailableError}: that one means "nothing was done, try again".
 */
export class ChangePending extends Error {
  constructor() {
    super('the change is waiting for the store');
    this.name = 'ChangePending';
  }
}

/** Default of {@link StoredOrPendingOptions.pendingAfterMs}. */
export const DEFAULT_PENDING_AFTER_MS = 5000;

export interface StoredOrPendingOptions {
  /**
   * How long a queued document change may wait for the store before the caller is told that it
   * is pending (default 5 s; a commit takes milliseconds when the store answers).
   */
  pendingAfterMs?: number;
  /** How a command that was reported pending ended (null: it finished). Must not throw. */
  onSettledAfterPending?: (error: unknown) => void;
}

/**
 * Runs a command that changes documents through `applyServerChange` so that its caller hears
 * back while the store fails or hangs, and is never asked to make the same change twice:
 *
 * - when the store is already failing, the command does not start ({@link StoreNotAnswering});
 * - once one of its changes is queued for the store (the group committer retries a failing batch
 *   until it is stored) and has waited `pendingAfterMs`, the caller is told that the change is
 *   pending ({@link ChangePending}); the command itself goes on and finishes (audit entry,
 *   catalogue mirror, live lists) once the store takes the change.
 *
 * A command still waiting for something else (a catalogue write, a document load) is waited
 * for: it either succeeds or fails with its own error, and nothing of it is queued.
 */
export async function storedOrPending<T>(
  store: Pick<Store, 'health'>,
  documents: DocumentChanger,
  command: (documents: DocumentChanger) => Promise<T>,
  options: StoredOrPendingOptions = {},
): Promise<T> {
  const health = store.health();
  if (!health.ok) throw new StoreNotAnswering(health.error ?? 'unhealthy');
  let rejectPending: (error: ChangePending) => void = () => undefined;
  const pending = new Promise<never>((_, reject) => (rejectPending = reject));
  /** Started by the command's first queued change; when it fires, the caller hears "pending". */
  let timer: NodeJS.Timeout | undefined;
  let reportedPending = false;
  const tracked: DocumentChanger = {
    applyServerChange: (documentId, change, changeOptions) =>
      documents.applyServerChange(documentId, change, {
        onQueued: () => {
          timer ??= setTimeout(() => {
            reportedPending = true;
            rejectPending(new ChangePending());
          }, options.pendingAfterMs ?? DEFAULT_PENDING_AFTER_MS);
          changeOptions?.onQueued?.();
        },
      }),
    readDocument: (documentId, read) => documents.readDocument(documentId, read),
  };
  const running = command(tracked);
  // What the command does after it was reported pending is reported, never thrown.
  const settled = (error: unknown): void => {
    if (!reportedPending) return;
    try {
      options.onSettledAfterPending?.(error);
    } catch {
      // A report that fails must not become an unhandled rejection.
    }
  };
  running.then(
    () => settled(null),
    (error: unknown) => settled(error),
  );
  try {
    return await Promise.race([running, pending]);
  } finally {
    clearTimeout(timer);
  }
}
