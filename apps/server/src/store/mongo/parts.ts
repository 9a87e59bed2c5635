/**
 * MongoDB documents are limited to 16 MB of BSON. Updates and snapshots larger than a part
 * are stored as several documents `{seq, part, parts, data}` and joined when read.
 */

/** Default bytes per part: well under the 16 MB BSON limit, leaving room for the other fields. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

/** One stored part of a blob. */
export interface BlobPart {
  seq: number;
  part: number;
  parts: number;
  data: Uint8Array;
}

/** Splits a blob into parts of at most `partBytes` bytes (an empty blob is one empty part). */
export function splitIntoParts(seq: number, data: Uint8Array, partBytes = DEFAULT_PART_BYTES): BlobPart[] {
  if (partBytes < 1) throw new RangeError('partBytes must be positive');
  const parts = Math.max(1, Math.ceil(data.byteLength / partBytes));
  const result: BlobPart[] = [];
  for (let part = 0; part < parts; part++) {
    result.push({ seq, part, parts, data: data.subarray(part * partBytes, Math.min(data.byteLength, (part + 1) * partBytes)) });
  }
  return result;
}

/**
 * Joins parts sorted by (seq, part) back into blobs. Throws if a blob misses a part, so a
 * half-written blob is never taken for a whole one.
 */
export function joinParts(parts: readonly BlobPart[]): { seq: number; data: Uint8Array }[] {
  const result: { seq: number; data: Uint8Array }[] = [];
  let index = 0;
  while (index < parts.length) {
    const first = parts[index] as BlobPart;
    const group = parts.slice(index, index + first.parts);
    if (group.length !== first.parts || group.some((part, offset) => part.seq !== first.seq || part.part !== offset || part.parts !== first.parts)) {
      throw new Error(`incomplete blob: seq ${first.seq} has ${group.length} of ${first.parts} parts`);
    }
    if (first.parts === 1) {
      result.push({ seq: first.seq, data: first.data });
    } else {
      const total = group.reduce((sum, part) => sum + part.data.byteLength, 0);
      const data = new Uint8Array(total);
      let offset = 0;
      for (const part of group) {
        data.set(part.data, offset);
        offset += part.data.byteLength;
      }
      result.push({ seq: first.seq, data });
    }
    index += first.parts;
  }
  return result;
}
