// @ts-check
/**
 * Large snapshots live in files of their own (`<dataDir>/snapshots/`), named in their
 * `document_snapshots` row; small ones stay in the row. A snapshot in the SQLite file is written
 * twice (to the WAL, then by the checkpoint) and fills pages spread over the file; a file is
 * written once, front to back. Compaction rewrites a document's snapshot each time its tail has
 * grown to twice the snapshot's size, so this halves what compaction writes.
 *
 * A file is written and synced (and its directory entry synced) before the row that names it
 * commits; the file it replaces is deleted after that commit. Files no row names (left by a
 * crash between the two) are deleted when the store opens.
 *
 * Plain JavaScript (JSDoc-typed): the writer and compactor workers use it too.
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Snapshots of at least this many bytes go to a file of their own. */
export const SNAPSHOT_FILE_BYTES = 16 * 1024;

/** The snapshot folder of a store file. */
export function snapshotDirOf(/** @type {string} */ databaseFile) {
  return join(dirname(databaseFile), 'snapshots');
}

/**
 * The file name of a document's snapshot covering up to `seq` (the id base64url-encoded, so any
 * id makes a safe name).
 * @param {string} documentId @param {number} seq
 */
export function snapshotFileName(documentId, seq) {
  return `${Buffer.from(documentId, 'utf8').toString('base64url')}.${seq}.snap`;
}

/**
 * Writes a snapshot file and makes it durable (data, then the directory entry).
 * @param {string} dir @param {string} name @param {Uint8Array} bytes
 */
export function writeSnapshotFile(dir, name, bytes) {
  const fd = openSync(join(dir, name), 'w');
  try {
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(dir);
}

/** fsync of a folder: the entries made in it survive a power loss. */
export function syncDirectory(/** @type {string} */ dir) {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Deletes a snapshot file; one already gone is no error. */
export function removeSnapshotFile(/** @type {string} */ dir, /** @type {string} */ name) {
  try {
    unlinkSync(join(dir, name));
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
  }
}

/**
 * The bytes of a stored snapshot row: from its file, or the row's own data.
 * @param {string} dir @param {{ data: Uint8Array, file?: string | null }} row
 * @returns {Uint8Array}
 */
export function snapshotBytes(dir, row) {
  return row.file ? readFileSync(join(dir, row.file)) : row.data;
}
