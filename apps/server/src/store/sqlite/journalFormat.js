// @ts-check
/**
 * The update journal's file format. New updates are appended to journal segments
 * (`<dataDir>/journal/<number>.log`), one durable write per commit; SQLite
 * keeps the snapshots (and rows written before the journal existed). Appending to a file writes
 * each byte once, where a commit of SQLite rows rewrote a table leaf, an index leaf per document
 * and the WAL copies of both.
 *
 * A segment starts with the 8-byte {@link SEGMENT_MAGIC}, then records back to back:
 *
 *   u32 length   whole record, header included (little-endian, like every number here)
 *   u32 crc32    of the bytes after this field up to the record's end
 *   u48 seq      the store-wide sequence number of this commit's updates of the document
 *   u16 idLength bytes of the document id (UTF-8)
 *   u32 sizesLength  bytes of the sizes list (lib0 varUints; empty for a single update)
 *   document id, sizes, then the updates back to back
 *
 * A record is whole or it is not there: a scan stops at the first record that is short or whose
 * checksum does not match (the torn end of a commit that was never acknowledged).
 *
 * Plain JavaScript (JSDoc-typed) because the compactor worker reads records too.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { encodeRowSizes, splitRow } from './updateRows.js';

/** First bytes of every segment (format version 1). */
export const SEGMENT_MAGIC = Buffer.from('SVJRNL01', 'latin1');
/** Bytes of a record's fixed header. */
export const RECORD_HEADER_BYTES = 20;
const MAX_SEQ = 2 ** 48 - 1;

/** File name of segment `number` (zero-padded, so names sort like numbers). */
export function segmentFileName(/** @type {number} */ number) {
  return `${String(number).padStart(10, '0')}.log`;
}

/** The segment number of a file name, or null for other files. */
export function segmentNumberOf(/** @type {string} */ name) {
  const match = /^(\d{10})\.log$/.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * @typedef {object} JournalRecordInput
 * @property {string} documentId
 * @property {number} seq
 * @property {readonly Uint8Array[]} updates
 */

/**
 * Encodes records back to back into one buffer (one write per commit). Returns the buffer and
 * each record's offset and length within it.
 * @param {readonly JournalRecordInput[]} records
 * @returns {{ buffer: Buffer, placements: { offset: number, length: number }[] }}
 */
export function encodeRecords(records) {
  const parts = records.map((record) => {
    if (!Number.isSafeInteger(record.seq) || record.seq < 1 || record.seq > MAX_SEQ) throw new Error(`journal seq out of range: ${record.seq}`);
    const id = Buffer.from(record.documentId, 'utf8');
    if (id.byteLength > 0xffff) throw new Error('document id too long for the journal');
    const sizes = encodeRowSizes(record.updates.map((update) => update.byteLength)) ?? new Uint8Array(0);
    const dataLength = record.updates.reduce((sum, update) => sum + update.byteLength, 0);
    return { record, id, sizes, length: RECORD_HEADER_BYTES + id.byteLength + sizes.byteLength + dataLength };
  });
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const buffer = Buffer.allocUnsafe(total);
  /** @type {{ offset: number, length: number }[]} */
  const placements = [];
  let offset = 0;
  for (const part of parts) {
    const start = offset;
    buffer.writeUInt32LE(part.length, start);
    buffer.writeUIntLE(part.record.seq, start + 8, 6);
    buffer.writeUInt16LE(part.id.byteLength, start + 14);
    buffer.writeUInt32LE(part.sizes.byteLength, start + 16);
    offset = start + RECORD_HEADER_BYTES;
    buffer.set(part.id, offset);
    offset += part.id.byteLength;
    buffer.set(part.sizes, offset);
    offset += part.sizes.byteLength;
    for (const update of part.record.updates) {
      buffer.set(update, offset);
      offset += update.byteLength;
    }
    buffer.writeUInt32LE(crc32(buffer.subarray(start + 8, offset)), start + 4);
    placements.push({ offset: start, length: part.length });
  }
  return { buffer, placements };
}

/**
 * @typedef {object} JournalRecord
 * @property {number} offset  of the record in its segment
 * @property {number} length  of the whole record
 * @property {number} seq
 * @property {string} documentId
 * @property {Uint8Array[]} updates  views into the buffer the record was read from
 */

/**
 * Decodes the record at `offset` of `bytes`, or returns null if it is short, torn or corrupt.
 * @param {Buffer} bytes
 * @param {number} offset
 * @returns {JournalRecord | null}
 */
export function decodeRecord(bytes, offset) {
  if (offset + RECORD_HEADER_BYTES > bytes.byteLength) return null;
  const length = bytes.readUInt32LE(offset);
  if (length < RECORD_HEADER_BYTES || offset + length > bytes.byteLength) return null;
  if (crc32(bytes.subarray(offset + 8, offset + length)) !== bytes.readUInt32LE(offset + 4)) return null;
  const seq = bytes.readUIntLE(offset + 8, 6);
  const idLength = bytes.readUInt16LE(offset + 14);
  const sizesLength = bytes.readUInt32LE(offset + 16);
  const idStart = offset + RECORD_HEADER_BYTES;
  const dataStart = idStart + idLength + sizesLength;
  if (dataStart > offset + length) return null;
  const documentId = bytes.toString('utf8', idStart, idStart + idLength);
  const sizes = sizesLength === 0 ? null : new Uint8Array(bytes.buffer, bytes.byteOffset + idStart + idLength, sizesLength);
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + dataStart, offset + length - dataStart);
  /** @type {Uint8Array[]} */
  let updates;
  try {
    updates = splitRow(data, sizes);
  } catch {
    return null;
  }
  return { offset, length, seq, documentId, updates };
}

/**
 * Every whole record of a segment's bytes, in order, and where the valid part ends (a torn or
 * corrupt record and everything after it are not part of the journal).
 * @param {Buffer} bytes
 * @returns {{ records: JournalRecord[], validEnd: number }}
 */
export function scanSegment(bytes) {
  if (bytes.byteLength < SEGMENT_MAGIC.byteLength || !bytes.subarray(0, SEGMENT_MAGIC.byteLength).equals(SEGMENT_MAGIC)) {
    return { records: [], validEnd: 0 };
  }
  /** @type {JournalRecord[]} */
  const records = [];
  let offset = SEGMENT_MAGIC.byteLength;
  for (;;) {
    const record = decodeRecord(bytes, offset);
    if (!record) break;
    records.push(record);
    offset += record.length;
  }
  return { records, validEnd: offset };
}

/**
 * Reads whole records from a segment file by their offsets (one open of the file).
 * @param {string} path
 * @param {readonly { offset: number, length: number }[]} places
 * @returns {JournalRecord[]}
 */
export function readRecordsFromFile(path, places) {
  const fd = openSync(path, 'r');
  try {
    return places.map((place) => readRecordAt(fd, place.offset, place.length));
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one whole record from an open segment file. Throws if it is not intact (a record the
 * journal acknowledged was durable must read back).
 * @param {number} fd
 * @param {number} offset
 * @param {number} length
 * @returns {JournalRecord}
 */
export function readRecordAt(fd, offset, length) {
  const bytes = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, bytes, read, length - read, offset + read);
    if (n === 0) break;
    read += n;
  }
  const record = read === length ? decodeRecord(bytes, 0) : null;
  if (!record) throw new Error(`journal record at offset ${offset} does not read back intact`);
  return { ...record, offset };
}
