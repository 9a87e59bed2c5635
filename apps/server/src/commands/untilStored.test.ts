import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WRITER_UNAVAILABLE, WriterError } from '../store/sqlite/SqliteWriter.js';
import type { StoreHealth } from '../store/ports.js';
import { untilStored } from './untilStored.js';

/** A write that fails with `failures` errors in turn, then stores; it counts its attempts. */
function writeFailing(...failures: Error[]) {
  const write = vi.fn((): Promise<void> => {
    const failure = failures[write.mock.calls.length - 1];
    return failure ? Promise.reject(failure) : Promise.resolve();
  });
  return write;
}

/** A store whose health the test sets (open and answering unless said otherwise). */
const store = (health: StoreHealth = { ok: true }) => ({ health: () => health });

const busy = () => new WriterError('database is locked', 'SQLITE_BUSY');

describe('untilStored', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks a store that cannot answer for now again, with growing pauses, until it takes the write', async () => {
    const write = writeFailing(busy(), busy(), new WriterError('writer worker exited with code 1', WRITER_UNAVAILABLE));
    const stored = untilStored(store(), write);
    await vi.advanceTimersByTimeAsync(0);
    expect(write).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(write).toHaveBeenCalledTimes(2);
    // The second pause is twice the first.
    await vi.advanceTimersByTimeAsync(99);
    expect(write).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(write).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(write).toHaveBeenCalledTimes(4);
    await expect(stored).resolves.toBeUndefined();
  });

  it('throws any other error at once: a write that is wrong is not asked again', async () => {
    const write = writeFailing(new WriterError('UNIQUE constraint failed: adoptions.id', 'SQLITE_CONSTRAINT_PRIMARYKEY'));
    await expect(untilStored(store(), write)).rejects.toThrow('UNIQUE constraint failed');
    expect(write).toHaveBeenCalledTimes(1);
    // A closed store (a shutdown) is not "for now" either.
    const closed = writeFailing(new WriterError('store is closed'));
    await expect(untilStored(store(), closed)).rejects.toThrow('store is closed');
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('gives up once the store has not answered for the time allowed, with its last error', async () => {
    const write = vi.fn(() => Promise.reject(busy()));
    const outcome = untilStored(store(), write, { giveUpAfterMs: 1000, maxDelayMs: 200 }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(2000);
    const error = await outcome;
    expect(error).toBeInstanceOf(WriterError);
    expect((error as WriterError).code).toBe('SQLITE_BUSY');
    // 0, 50, 150, 350, 550, 750, 950 ms: pauses of 50, 100, then 200 each, none past a second.
    expect(write).toHaveBeenCalledTimes(7);
  });

  it('stops at once when the store was closed (a shutdown), also when its errors look like "not for now"', async () => {
    const write = vi.fn(() => Promise.reject(busy()));
    await expect(untilStored(store({ ok: false, error: 'store is closed' }), write)).rejects.toThrow('database is locked');
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('does not make the write again when the failed attempt was stored after all', async () => {
    const write = writeFailing(new WriterError('writer worker exited with code 1', WRITER_UNAVAILABLE));
    const alreadyStored = vi.fn(() => Promise.resolve(true));
    const stored = untilStored(store(), write, { alreadyStored });
    await vi.advanceTimersByTimeAsync(50);
    await expect(stored).resolves.toBeUndefined();
    expect(write).toHaveBeenCalledTimes(1);
    expect(alreadyStored).toHaveBeenCalledTimes(1);
    // Not stored: it is written again.
    const again = writeFailing(busy());
    const notStored = vi.fn(() => Promise.resolve(false));
    const retried = untilStored(store(), again, { alreadyStored: notStored });
    await vi.advanceTimersByTimeAsync(50);
    await expect(retried).resolves.toBeUndefined();
    expect(again).toHaveBeenCalledTimes(2);
    expect(notStored).toHaveBeenCalledTimes(1);
  });
});
