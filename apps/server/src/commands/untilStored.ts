import { type AuditEntry, STORE_CLOSED, type Store, isStoreUnavailable } from '../store/ports.js';

export interface UntilStoredOptions {
  /** First pause before asking again (default 50 ms), doubled up to `maxDelayMs`. */
  firstDelayMs?: number;
  /** Longest pause (default 5 s). */
  maxDelayMs?: number;
  /** How long the store may keep not answering before the error is thrown (default 10 minutes). */
  giveUpAfterMs?: number;
  /**
   * Asked before each new attempt: whether the failed one was stored after all (a writer that
   * committed and was gone before it answered). When it says yes, the write is not made again.
   */
  alreadyStored?: () => Promise<boolean>;
}

/**
 * Runs a store write that completes a document change which is already stored: the catalogue
 * title of a rename, the link of an adopted measure, the audit entry. While the store cannot
 * answer for now (see {@link isStoreUnavailable}) it is asked again, with pauses growing from
 * 50 ms to 5 s, for up to ten minutes. The change itself cannot be taken back, so the request must
 * neither fail as "nothing was done, try again" (the user would make the change twice) nor leave
 * its record out; a caller who waits too long is told that the change is pending (see
 * storedOrPending) while this goes on. Any other error, a store still not answering after that,
 * and a closed store (a shutdown) end it with the last error. The pauses do not keep the process
 * alive. `write` is called anew for each attempt (0 first): it must build nothing that changes
 * between attempts (ids, times) inside it.
 */
export async function untilStored(store: Pick<Store, 'health'>, write: (attempt: number) => Promise<void>, options: UntilStoredOptions = {}): Promise<void> {
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 10 * 60_000);
  const maxDelayMs = options.maxDelayMs ?? 5000;
  let delay = options.firstDelayMs ?? 50;
  for (let attempt = 0; ; attempt++) {
    try {
      if (attempt > 0 && options.alreadyStored && (await options.alreadyStored())) return;
      await write(attempt);
      return;
    } catch (error) {
      if (!isStoreUnavailable(error) || Date.now() + delay > giveUpAt || store.health().error === STORE_CLOSED) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/**
 * The audit entry of a stored change, recorded through {@link untilStored}: built once (its time
 * is when the change was made), so a retry records the same entry, and not a second one when the
 * failed attempt was stored after all.
 */
export function auditUntilStored(store: Pick<Store, 'health' | 'audit'>, actorId: string, action: string, targetId: string): Promise<void> {
  const entry: AuditEntry = { actorId, action, targetId, at: new Date().toISOString() };
  return untilStored(store, () => store.audit.record(entry), { alreadyStored: () => store.audit.has(entry) });
}
