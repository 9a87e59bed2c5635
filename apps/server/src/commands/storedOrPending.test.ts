import { describe, expect, it } from 'vitest';
import type { StoreHealth } from '../store/ports.js';
import { ChangePending, StoreNotAnswering, storedOrPending } from './storedOrPending.js';

/** A store whose health the test sets. */
function storeWith(health: StoreHealth) {
  return { current: health, health(): StoreHealth { return this.current; } };
}

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('storedOrPending', () => {
  it('does not start a command while the store is failing', async () => {
    let started = false;
    const store = storeWith({ ok: false, error: 'disk full' });
    await expect(
      storedOrPending(store, async () => {
        started = true;
      }),
    ).rejects.toBeInstanceOf(StoreNotAnswering);
    expect(started).toBe(false);
  });

  it('waits for a slow store that does not fail, past the pending time', async () => {
    const store = storeWith({ ok: true });
    await expect(storedOrPending(store, () => after(450, 'stored'), { pendingAfterMs: 50 })).resolves.toBe('stored');
  });

  it('answers pending once the store fails while the command waits, and reports how the command ended', async () => {
    const store = storeWith({ ok: true });
    const settled: unknown[] = [];
    const started = performance.now();
    const result = storedOrPending(store, () => after(1500, 'stored'), { pendingAfterMs: 100, onSettledAfterPending: (error) => settled.push(error) });
    setTimeout(() => (store.current = { ok: false, error: 'disk full' }), 250);
    await expect(result).rejects.toBeInstanceOf(ChangePending);
    // Healthy at the first look (100 ms), asked again a second later: failing then.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(settled).toEqual([]);
    await after(600, null);
    expect(settled).toEqual([null]);
  });

  it('reports a command that fails after it was answered as pending, without an unhandled rejection', async () => {
    const store = storeWith({ ok: true });
    const settled: unknown[] = [];
    const failure = new Error('the store refused the change');
    const result = storedOrPending(
      store,
      async () => {
        store.current = { ok: false, error: 'disk full' };
        await after(300, null);
        throw failure;
      },
      { pendingAfterMs: 50, onSettledAfterPending: (error) => settled.push(error) },
    );
    await expect(result).rejects.toBeInstanceOf(ChangePending);
    await after(400, null);
    expect(settled).toEqual([failure]);
  });

  it('a command that fails before the pending time fails its caller directly', async () => {
    const store = storeWith({ ok: true });
    const settled: unknown[] = [];
    const failure = new Error('not found');
    await expect(storedOrPending(store, () => Promise.reject(failure), { pendingAfterMs: 50, onSettledAfterPending: (error) => settled.push(error) })).rejects.toBe(failure);
    await after(100, null);
    expect(settled).toEqual([]);
  });
});
