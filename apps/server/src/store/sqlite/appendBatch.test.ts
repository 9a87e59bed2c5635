import { describe, expect, it } from 'vitest';
import { packAppendBatch, seqsOfItems } from './appendBatch.js';
import { encodeRowSizes, splitRow } from './updateRows.js';

describe('packAppendBatch', () => {
  it('groups updates by document in submit order and copies them into one exact-size buffer', () => {
    // An update received from a socket is a view into a larger read buffer.
    const socketBuffer = new Uint8Array(64 * 1024).fill(9);
    socketBuffer.set([1, 2, 3], 100);
    const fromSocket = socketBuffer.subarray(100, 103);
    const items = [
      { documentId: 'a', updates: [fromSocket] },
      { documentId: 'b', updates: [new Uint8Array([4])] },
      { documentId: 'a', updates: [new Uint8Array([5, 6]), new Uint8Array([7])] },
    ];
    const batch = packAppendBatch(items);
    expect(batch.data.byteLength).toBe(7);
    expect([...new Uint8Array(batch.data)]).toEqual([1, 2, 3, 5, 6, 7, 4]);
    expect(batch.documents).toEqual([
      { documentId: 'a', offset: 0, sizes: [3, 2, 1] },
      { documentId: 'b', offset: 6, sizes: [1] },
    ]);
    // Every update of an item gets its document's row seq.
    expect(seqsOfItems(items, batch, [40, 41])).toEqual([[40], [41], [40, 40]]);
  });
});

describe('stored update rows', () => {
  it('round-trips several updates through one row and keeps a single update as it is', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const sizes = encodeRowSizes([3, 2, 1]);
    expect(splitRow(data, sizes).map((update) => [...update])).toEqual([[1, 2, 3], [4, 5], [6]]);
    expect(encodeRowSizes([6])).toBeNull();
    expect(splitRow(data, null)).toEqual([data]);
  });

  it('refuses a row whose sizes do not match its data', () => {
    expect(() => splitRow(new Uint8Array(5), encodeRowSizes([3, 3]))).toThrow(/shorter/);
    expect(() => splitRow(new Uint8Array(7), encodeRowSizes([3, 3]))).toThrow(/longer/);
  });
});
