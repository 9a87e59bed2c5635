import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './GroupCommitter.js';

describe('GroupCommitter', () => {
  it('commits what arrives in one event-loop turn as one batch, and what arrives during a commit as the next', async () => {
    const batches: number[][] = [];
    let release: (() => void) | null = null;
    const committer = new GroupCommitter<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items.map((item) => item * 10);
    });
    const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));
    const first = committer.submit(1);
    const sameTurn = committer.submit(2);
    expect(batches).toEqual([]); // not before the turn ends
    await endOfTurn();
    expect(batches).toEqual([[1, 2]]); // no timer: at the end of the turn
    const rest = [3, 4, 5].map((item) => committer.submit(item));
    (release as unknown as () => void)();
    expect(await first).toBe(10);
    expect(await sameTurn).toBe(20);
    expect(await Promise.all(rest)).toEqual([30, 40, 50]);
    expect(batches).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('with a floor, a write to an idle store commits at once and back-to-back commits are spaced', async () => {
    const starts: number[] = [];
    const batches: number[][] = [];
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        starts.push(performance.now());
        batches.push(items);
        return items;
      },
      { minIntervalMs: 30 },
    );
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]); // no wait for a lone write beyond the end of its turn
    await first;
    // Arrives right after the first commit: waits for the floor, together with what follows.
    const second = committer.submit(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const third = committer.submit(3);
    await Promise.all([second, third]);
    expect(batches).toEqual([[1], [2, 3]]);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(29);
    // After a quiet spell longer than the floor, a write commits at once again.
    await new Promise((resolve) => setTimeout(resolve, 40));
    committer.submit(4).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2, 3], [4]]); // committed at the end of its turn, no timer
    await committer.flush();
  });

  it('spaces commits by the submit rate: back to back under a light load, apart under a heavy one', async () => {
    const starts: number[] = [];
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        starts.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 1)); // the commit itself
        return items;
      },
      { itemsPerSecondPerMs: 100, maxIntervalMs: 8 },
    );
    const gapsWhile = async (perTick: number, ticks: number): Promise<number> => {
      const pending: Promise<number>[] = [];
      const from = starts.length;
      for (let tick = 0; tick < ticks; tick++) {
        for (let item = 0; item < perTick; item++) pending.push(committer.submit(item));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await Promise.all(pending);
      // Gaps once the rate is known (the second half), middle value.
      const mine = starts.slice(from);
      const gaps = mine.slice(1).map((start, index) => start - (mine[index] as number));
      const settled = gaps.slice(Math.floor(gaps.length / 2)).sort((a, b) => a - b);
      return settled[Math.floor(settled.length / 2)] as number;
    };
    // 3 items per timer tick (over 1,500/s → over 15 ms wanted, capped at 8): commits 8 ms apart.
    const heavy = await gapsWhile(3, 150);
    // A quiet spell, then an item every 5 ms (≤ 200/s → ≤ 2 ms wanted): each commits at the end
    // of its event-loop turn, before any timer (a fixed 8 ms floor would hold every one of them).
    await new Promise((resolve) => setTimeout(resolve, 150));
    const atOnce: boolean[] = [];
    for (let index = 0; index < 10; index++) {
      const before = starts.length;
      const committed = committer.submit(index);
      await new Promise((resolve) => setImmediate(resolve));
      atOnce.push(starts.length === before + 1);
      await committed;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(heavy).toBeGreaterThanOrEqual(7.5);
    expect(atOnce).toEqual(Array.from({ length: 10 }, () => true));
    await committer.flush();
  });

  it('does not space commits below the unspaced rate, and does above it', async () => {
    const medianGap = async (unspacedBelow: number): Promise<number> => {
      const starts: number[] = [];
      const committer = new GroupCommitter<number, number>(
        async (items) => {
          starts.push(performance.now());
          await new Promise((resolve) => setTimeout(resolve, 1));
          return items;
        },
        { itemsPerSecondPerMs: 100, maxIntervalMs: 8, unspacedBelowItemsPerSecond: unspacedBelow },
      );
      const pending: Promise<number>[] = [];
      // About 500–1,000 items a second: 5–10 ms wanted at 100 per ms.
      for (let tick = 0; tick < 150; tick++) {
        pending.push(committer.submit(tick));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await Promise.all(pending);
      await committer.flush();
      const gaps = starts.slice(1).map((start, index) => start - (starts[index] as number));
      const settled = gaps.slice(Math.floor(gaps.length / 2)).sort((a, b) => a - b);
      return settled[Math.floor(settled.length / 2)] as number;
    };
    expect(await medianGap(2000)).toBeLessThan(4);
    expect(await medianGap(0)).toBeGreaterThanOrEqual(4.5);
  });

  it('retries a failed batch head of line, in order, and reports failure and recovery', async () => {
    let failures = 2;
    const committed: number[] = [];
    const events: string[] = [];
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        if (failures-- > 0) throw new Error('disk busy');
        committed.push(...items);
        return items;
      },
      { retryDelayMs: 1, onError: () => events.push('error'), onRecovered: () => events.push('recovered') },
    );
    const results = await Promise.all([1, 2, 3].map((item) => committer.submit(item)));
    expect(results).toEqual([1, 2, 3]);
    expect(committed).toEqual([1, 2, 3]);
    expect(events).toEqual(['error', 'error', 'recovered']);
  });

  it('flush waits for everything submitted so far; close refuses new items', async () => {
    const committed: number[] = [];
    const committer = new GroupCommitter<number, void>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      committed.push(...items);
      return items.map(() => undefined);
    });
    void committer.submit(1);
    void committer.submit(2);
    await committer.flush();
    expect(committed).toEqual([1, 2]);
    await committer.close();
    await expect(committer.submit(3)).rejects.toThrow('closed');
  });
});
