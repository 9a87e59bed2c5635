import { isStoreUnavailable } from '../store/ports.js';

export interface UntilStoredOptions {
  /** First pause before asking again (default 50 ms), doubled up to `maxDelayMs`. */
  firstDelayMs?: number;
  /** Longest pause (default 5 s). */
  maxDelayMs?: number;
  /** How long the store may keep not answering before the error is thrown (default 10 minutes). */
  giveUpAfterMs?: number;
}

/**
 * Runs a store write that completes a document change which is already stored: the catalogue
 * title of a rename, the link of an adopted measure, the audit entry. While the store cannot
 * answer for now (see {@link isStoreUnavailable}) it is asked again, with pauses growing from
 * 50 ms to 5 s, for up to ten minutes. The change itself cannot be taken back, so the request must
 * neither fail as "nothing was done, try again" (the user would make the change twice) nor leave
 * its record out; a caller who waits too long is told that the change is pending (see
 * storedOrPending) while this goes on. Any other error, and a store still not answering after
 * that, is thrown. The pauses do not keep the process alive: a closed store's error is not a
 * "for now" one, so a shutdown ends the loop.
 */
export async function untilStored<T>(write: () => Promise<T>, options: UntilStoredOptions = {}): Promise<T> {
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 10 * 60_000);
  const maxDelayMs = options.maxDelayMs ?? 5000;
  let delay = options.firstDelayMs ?? 50;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isStoreUnavailable(error) || Date.now() + delay > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
