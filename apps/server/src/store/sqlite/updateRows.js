// @ts-check
/**
 * How updates sit in `document_updates` rows. A row holds the updates one document committed in
 * one batch, back to back in `data`; `sizes` lists their byte lengths (lib0 varUints) when there
 * is more than one. Rows written before batching (and single-update rows) have `sizes` NULL and
 * hold exactly one update.
 *
 * Plain JavaScript (JSDoc-typed) because the writer worker imports it too.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The `sizes` column for a row of updates with these byte lengths (null for one update).
 * @param {readonly number[]} sizes
 * @returns {Uint8Array | null}
 */
export function encodeRowSizes(sizes) {
  if (sizes.length <= 1) return null;
  const encoder = encoding.createEncoder();
  for (const size of sizes) encoding.writeVarUint(encoder, size);
  return encoding.toUint8Array(encoder);
}

/**
 * The updates of one stored row, as views into `data` (no copies).
 * @param {Uint8Array} data
 * @param {Uint8Array | null} sizes
 * @returns {Uint8Array[]}
 */
export function splitRow(data, sizes) {
  if (sizes === null || sizes.byteLength === 0) return [data];
  const decoder = decoding.createDecoder(sizes);
  /** @type {Uint8Array[]} */
  const updates = [];
  let offset = 0;
  while (decoding.hasContent(decoder)) {
    const size = decoding.readVarUint(decoder);
    if (offset + size > data.byteLength) throw new Error('stored update row is shorter than its sizes say');
    updates.push(data.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== data.byteLength) throw new Error('stored update row is longer than its sizes say');
  return updates;
}
