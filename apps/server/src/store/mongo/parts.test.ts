import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PART_BYTES, joinParts, splitIntoParts } from './parts.js';

describe('splitting blobs into parts under the 16 MB BSON limit', () => {
  it('a 40 MB state round-trips through parts, each well under 16 MB', () => {
    const state = new Uint8Array(randomBytes(40 * 1024 * 1024));
    const parts = splitIntoParts(7, state);
    expect(parts.length).toBe(Math.ceil(state.byteLength / DEFAULT_PART_BYTES));
    for (const part of parts) expect(part.data.byteLength).toBeLessThanOrEqual(DEFAULT_PART_BYTES);
    expect(DEFAULT_PART_BYTES).toBeLessThan(16 * 1024 * 1024 - 64 * 1024);
    const [joined] = joinParts(parts);
    expect(joined?.seq).toBe(7);
    expect(Buffer.from(joined!.data).equals(Buffer.from(state))).toBe(true);
  });

  it('keeps small blobs in one part and joins several blobs in order', () => {
    const parts = [...splitIntoParts(1, new Uint8Array([1, 2, 3]), 2), ...splitIntoParts(2, new Uint8Array([]), 2), ...splitIntoParts(3, new Uint8Array([9]), 2)];
    expect(parts.map((part) => [part.seq, part.part, part.parts])).toEqual([
      [1, 0, 2],
      [1, 1, 2],
      [2, 0, 1],
      [3, 0, 1],
    ]);
    expect(joinParts(parts).map((blob) => [blob.seq, Array.from(blob.data)])).toEqual([
      [1, [1, 2, 3]],
      [2, []],
      [3, [9]],
    ]);
  });

  it('refuses a blob with a missing part instead of returning half of it', () => {
    const parts = splitIntoParts(5, new Uint8Array(10), 3);
    expect(() => joinParts(parts.filter((part) => part.part !== 2))).toThrow('incomplete blob');
  });
});

describe('reading stored binary data', () => {
  it('takes a Buffer as it is and a BSON Binary by its value, not its whole backing buffer', async () => {
    const { toBytes } = await import('./MongoStore.js');
    const { mongo } = await import('mongoose');
    expect(Array.from(toBytes(Buffer.from([1, 2, 3])))).toEqual([1, 2, 3]);
    const binary = new mongo.Binary(new Uint8Array([4, 5, 6, 0, 0, 0]));
    (binary as unknown as { position: number }).position = 3;
    expect(Array.from(toBytes(binary))).toEqual([4, 5, 6]);
    expect(() => toBytes('text')).toThrow('not binary');
  });
});
