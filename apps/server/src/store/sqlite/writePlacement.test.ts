import { describe, expect, it } from 'vitest';
import { WritePlacement } from './writePlacement.js';

function placement(limitMs = 2) {
  let now = 0;
  const slow: [number, number][] = [];
  const place = new WritePlacement({ limitMs, firstBackoffMs: 1000, maxBackoffMs: 4000, onSlow: (took, backoff) => slow.push([took, backoff]) }, () => now);
  return { place, slow, advance: (ms: number) => (now += ms) };
}

describe('WritePlacement', () => {
  it('keeps writes inline while they are fast', () => {
    const { place, slow } = placement();
    for (let i = 0; i < 100; i++) {
      expect(place.inline()).toBe(true);
      place.inlineTook(2);
    }
    expect(slow).toEqual([]);
  });

  it('sends writes to the pool after a slow one, and tries inline again after the backoff', () => {
    const { place, slow, advance } = placement();
    place.inlineTook(2.5);
    expect(slow).toEqual([[2.5, 1000]]);
    expect(place.inline()).toBe(false);
    advance(999);
    expect(place.inline()).toBe(false);
    advance(1);
    expect(place.inline()).toBe(true);
  });

  it('doubles the backoff while inline tries stay slow, up to the longest, and a fast write resets it', () => {
    const { place, slow, advance } = placement();
    for (let i = 0; i < 4; i++) {
      place.inlineTook(50);
      advance(10_000);
    }
    expect(slow.map(([, backoff]) => backoff)).toEqual([1000, 2000, 4000, 4000]);
    place.inlineTook(0.3);
    place.inlineTook(50);
    expect(slow.at(-1)).toEqual([50, 1000]);
  });

  it('puts every write in the pool when the limit is 0', () => {
    const { place } = placement(0);
    expect(place.inline()).toBe(false);
  });
});
