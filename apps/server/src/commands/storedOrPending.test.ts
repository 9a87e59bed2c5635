import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentChanger, StoreHealth } from '../store/ports.js';
import { ChangePending, StoreNotAnswering, storedOrPending } from './storedOrPending.js';

/** A store whose health the test sets. */
const storeWith = (health: StoreHealth) => ({ health: () => health });

/**
 * A changer whose changes are queued at once and stored when the test says so (the real one is
 * SyncServer, exercised against a failing journal in integration/changePending.test.ts).
 */
function changer() {
  const waiting: (() => void)[] = [];
  const documents: DocumentChanger = {
    applyServerChange: (_id, _change, options) =>
      new Promise<void>((resolve) => {
        options?.onQueued?.();
        waiting.push(resolve);
      }),
    readDocument: () => Promise.reject(new Error('not used')),
  };
  return { documents, storeAll: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

/** What a promise settles with, its value or its error, without an unhandled rejection meanwhile. */
const outcomeOf = <T>(promise: Promise<T>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

describe('storedOrPending', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not start a command while the store is failing', async () => {
    const command = vi.fn(() => Promise.resolve('changed'));
    await expect(storedOrPending(storeWith({ ok: false, error: 'disk full' }), changer().documents, command)).rejects.toBeInstanceOf(StoreNotAnswering);
    expect(command).not.toHaveBeenCalled();
  });

  it('answers pending once a queued change has waited the pending time; the command finishes later and is reported', async () => {
    const { documents, storeAll } = changer();
    const settled: unknown[] = [];
    let finished = false;
    const result = storedOrPending(
      storeWith({ ok: true }),
      documents,
      async (tracked) => {
        await tracked.applyServerChange('doc', () => undefined);
        finished = true;
        return 'stored';
      },
      { pendingAfterMs: 5000, onSettledAfterPending: (error) => settled.push(error) },
    );
    const outcome = outcomeOf(result);
    await vi.advanceTimersByTimeAsync(4999);
    expect(settled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBeInstanceOf(ChangePending);
    expect(finished).toBe(false);
    storeAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(finished).toBe(true);
    expect(settled).toEqual([null]);
  });

  it('a change stored in time answers normally, and no timer is left behind', async () => {
    const { documents, storeAll } = changer();
    const result = storedOrPending(storeWith({ ok: true }), documents, async (tracked) => {
      await tracked.applyServerChange('doc', () => undefined);
      return 'stored';
    });
    await vi.advanceTimersByTimeAsync(4000);
    storeAll();
    await expect(result).resolves.toBe('stored');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a command still waiting for something other than a queued change is waited for, whatever the time', async () => {
    const failure = new Error('the catalogue write timed out');
    const result = storedOrPending(
      storeWith({ ok: true }),
      changer().documents,
      () => new Promise<string>((_, reject) => setTimeout(() => reject(failure), 10_000)),
      { pendingAfterMs: 100 },
    );
    const outcome = outcomeOf(result);
    await vi.advanceTimersByTimeAsync(10_000);
    // Nothing was queued, so nothing was promised: the caller gets the command's own error.
    expect(await outcome).toBe(failure);
  });

  it('a command that fails after it was answered pending is reported, and a report that throws is swallowed', async () => {
    const { documents } = changer();
    const failure = new Error('the audit entry could not be written');
    const settled: unknown[] = [];
    const result = storedOrPending(
      storeWith({ ok: true }),
      documents,
      async (tracked) => {
        void tracked.applyServerChange('doc', () => undefined);
        await new Promise((resolve) => setTimeout(resolve, 300));
        throw failure;
      },
      {
        pendingAfterMs: 100,
        onSettledAfterPending: (error) => {
          settled.push(error);
          throw new Error('the report failed');
        },
      },
    );
    const outcome = outcomeOf(result);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toBeInstanceOf(ChangePending);
    await vi.advanceTimersByTimeAsync(200);
    expect(settled).toEqual([failure]);
  });

  it('a command that fails before its change waited long fails its caller directly', async () => {
    const failure = new Error('not found');
    const settled: unknown[] = [];
    await expect(
      storedOrPending(storeWith({ ok: true }), changer().documents, () => Promise.reject(failure), { pendingAfterMs: 50, onSettledAfterPending: (error) => settled.push(error) }),
    ).rejects.toBe(failure);
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toEqual([]);
  });
});
