import { describe, expect, it } from 'vitest';
import { groupAppendItems, seqsOfItems } from './appendBatch.js';
import { encodeRowSizes, splitRow } from './updateRows.js';

describe('groupAppendItems', () => {
  it('groups updates by document in submit order and hands each item its record seq', () => {
    const items = [
      { documentId: 'a', updates: [new Uint8Array([1, 2, 3])] },
      { documentId: 'b', updates: [new Uint8Array([4])] },
      { documentId: 'a', updates: [new Uint8Array([5, 6]), new Uint8Array([7])] },
    ];
    const batch = groupAppendItems(items);
    expect(batch.documents.map((group) => [group.documentId, group.updates.map((update) => [...update])])).toEqual([
      ['a', [[1, 2, 3], [5, 6], [7]]],
      ['b', [[4]]],
    ]);
    // Every update of an item gets its document's record seq.
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
