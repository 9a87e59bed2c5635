import { describe, expect, it } from 'vitest';
import { type SlowWrites, WritePlacement } from './writePlacement.js';

function placement(limitMs = 2) {
  let now = 0;
  const slow: SlowWrites[] = [];
  const place = new WritePlacement({ limitMs, spikeLimitMs: 50, firstBackoffMs: 1000, maxBackoffMs: 4000, onSlow: (writes) => slow.push(writes) }, () => now);
  /** Writes of these durations, inline while allowed; how many ran inline. */
  const write = (...durations: number[]): number => {
    let inline = 0;
    for (const ms of durations) {
      if (!place.inline()) continue;
      inline++;
      place.inlineTook(ms);
    }
    return inline;
  };
  return { place, slow, write, advance: (ms: number) => (now += ms) };
}

const times = (count: number, ms: number): number[] => Array.from({ length: count }, () => ms);

describe('WritePlacement', () => {
  it('keeps writes inline while they are fast, and through the tail of a virtual disk', () => {
    const { slow, write } = placement();
    expect(write(...times(100, 1.9))).toBe(100);
    // Writes of 0.2 ms with one of 6 ms now and then: the event loop loses little.
    for (let round = 0; round < 20; round++) expect(write(...times(20, 0.2), 6)).toBe(21);
    expect(slow).toEqual([]);
  });

  it('sends writes to the pool once they are slow on average, and tries inline again after the backoff', () => {
    const { place, slow, write, advance } = placement();
    write(...times(50, 0.2));
    // Sustained 3 ms writes: a few of them bring the average over 2 ms.
    const inline = write(...times(20, 3));
    expect(inline).toBeGreaterThan(1);
    expect(inline).toBeLessThan(20);
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ tookMs: 3, backoffMs: 1000 });
    expect(slow[0]?.averageMs).toBeGreaterThan(2);
    expect(place.inline()).toBe(false);
    advance(999);
    expect(place.inline()).toBe(false);
    advance(1);
    // The disk is fast again: one fast write keeps writes inline.
    expect(write(...times(30, 0.2))).toBe(30);
    expect(slow).toHaveLength(1);
  });

  it('sends writes to the pool after one write over the spike limit', () => {
    const { place, slow, write } = placement(10);
    write(...times(50, 0.2), 49, ...times(30, 0.2));
    expect(slow).toEqual([]);
    write(60);
    expect(slow).toHaveLength(1);
    expect(slow[0]?.averageMs).toBeLessThan(10); // the average alone would not have
    expect(place.inline()).toBe(false);
  });

  it('doubles the backoff while inline tries stay slow, up to the longest, and a fast write resets it', () => {
    const { slow, write, advance } = placement();
    for (let round = 0; round < 5; round++) {
      write(...times(30, 5));
      advance(10_000);
    }
    // One inline try per round after the first: the average stays at the limit, a slow write tips it.
    expect(slow.map((writes) => writes.backoffMs)).toEqual([1000, 2000, 4000, 4000, 4000]);
    write(0.3);
    write(...times(30, 5));
    expect(slow.at(-1)?.backoffMs).toBe(1000);
  });

  it('puts every write in the pool when the limit is 0', () => {
    const { place } = placement(0);
    expect(place.inline()).toBe(false);
  });
});
