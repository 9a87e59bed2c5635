// @ts-check
/**
 * The SQLite compactor. Runs in a worker thread of its own with a read-only connection, so the
 * CPU-heavy part of compaction (replaying a snapshot and its tail into a garbage-collected
 * Y.Doc and encoding the result) neither blocks the event loop nor holds up commits in the
 * writer thread. The writer then stores the result with its compare-and-set `compact`.
 *
 * Plain JavaScript (type-checked through JSDoc), like the writer, so it runs from `src/` in
 * tests and from `dist/` in production.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { readRecordsFromFile } from './journalFormat.js';
import { snapshotBytes, snapshotDirOf } from './snapshotFiles.js';
import { splitRow } from './updateRows.js';

/** @typedef {import('./writerProtocol.js').WriterRequestEnvelope} WriterRequestEnvelope */
/** @typedef {import('./writerProtocol.js').WriterResponse} WriterResponse */
/** @typedef {import('./writerProtocol.js').WriterWorkerData} WriterWorkerData */

/**
 * How much lower than the process this thread is scheduled (nice steps, Linux). Compaction is
 * background work and can wait: under a heavy write load a replay is seconds of CPU at a time,
 * and where the server has no core to spare (a container limited to one, the benchmark's pinned
 * server) it took half the core from the event loop for as long, holding every commit and relay
 * meanwhile: in the persistence benchmark (24,000 durable updates/s offered, server on one core
 * of an AMD EPYC VM) commit lag p99 was 125-220 ms at the process's priority and 26-47 ms ten
 * steps lower. Ten steps, not the lowest: against one busy thread of the process's priority
 * this one still gets about a tenth of the core (less against several), so compactions go on
 * under load. Nothing user-facing waits for one (an unload asks for it and goes on). The
 * passive WAL checkpoints of this thread run at the same priority; they mostly wait for the
 * disk, and the writer's own checkpoint is the backstop.
 */
const COMPACTOR_NICE_STEPS = 10;

/**
 * Lowers this thread's scheduling priority by {@link COMPACTOR_NICE_STEPS} (at most to 19). On
 * Linux a thread has its own nice value: `setpriority` given the thread's id (read from
 * `/proc/thread-self`, when that `/proc` is this process's) changes that thread alone.
 * Elsewhere, or where it is refused, the thread keeps the process's priority.
 *
 * Threads started by this one inherit the lower priority. It starts none: its I/O is
 * synchronous. Keep it so: libuv starts its whole thread pool from the thread that first uses
 * it, so an asynchronous call here (fs promises, dynamic import) could put every pool thread,
 * and with them the journal's slow-disk commits, at this priority.
 */
function lowerPriority() {
  try {
    if (readlinkSync('/proc/self') !== String(process.pid)) return;
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + COMPACTOR_NICE_STEPS));
  } catch {
    // Not Linux, or not permitted: compaction runs at the process's priority.
  }
}
lowerPriority();

const { filename, busyTimeoutMs } = /** @type {WriterWorkerData} */ (workerData);
const db = /** @type {import('better-sqlite3').Database} */ (new Database(filename, { readonly: true, fileMustExist: true }));
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);

/**
 * Checkpoints, off the writer thread: every CHECKPOINT_INTERVAL_MS a passive checkpoint copies
 * committed WAL pages into the database file while the writer goes on committing (a checkpoint
 * run by the writer's own auto-checkpoint held the commit that crossed its threshold for up to
 * 15 ms). The writer keeps a large auto-checkpoint as a backstop.
 */
const CHECKPOINT_INTERVAL_MS = 200;
const checkpointer = /** @type {import('better-sqlite3').Database} */ (new Database(filename, { fileMustExist: true }));
checkpointer.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
setInterval(() => {
  try {
    checkpointer.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failed: the next tick (or the writer's backstop) checkpoints.
  }
}, CHECKPOINT_INTERVAL_MS).unref();

const selectSnapshot = db.prepare('SELECT seq, data, file FROM document_snapshots WHERE document_id = ?');
const snapshotDir = snapshotDirOf(filename);
const selectRange = db.prepare('SELECT data, sizes FROM document_updates WHERE document_id = ? AND seq > ? AND seq <= ? ORDER BY seq');

/** The stored snapshot and the rows after it up to `upToSeq`, read in one short read transaction. */
const read = db.transaction(
  /** @param {string} documentId @param {number} upToSeq */
  (documentId, upToSeq) => {
    const row = /** @type {{ seq: number, data: Uint8Array, file: string | null } | undefined} */ (selectSnapshot.get(documentId));
    // Read inside the read transaction: the file a row names is deleted only after a newer row commits.
    const snapshot = row ? { seq: row.seq, data: snapshotBytes(snapshotDir, row) } : undefined;
    const fromSeq = snapshot?.seq ?? 0;
    if (fromSeq >= upToSeq) return null;
    const rows = /** @type {{ data: Uint8Array, sizes: Uint8Array | null }[]} */ (selectRange.all(documentId, fromSeq, upToSeq));
    return { snapshot, fromSeq, rows };
  },
);

/**
 * The journal records of the document with `fromSeq` < seq ≤ `upToSeq`, in seq order (their
 * places come from the main thread's index; a segment is only deleted once a snapshot covers all
 * of its records, and compactions of one document run one at a time).
 * @param {string} documentId @param {import('./writerProtocol.js').JournalPlace[]} places
 * @param {number} fromSeq @param {number} upToSeq
 */
function journalUpdates(documentId, places, fromSeq, upToSeq) {
  /** @type {Map<string, import('./writerProtocol.js').JournalPlace[]>} */
  const byPath = new Map();
  for (const place of places) {
    const list = byPath.get(place.path) ?? [];
    list.push(place);
    byPath.set(place.path, list);
  }
  /** @type {{ seq: number, updates: Uint8Array[] }[]} */
  const found = [];
  for (const [path, list] of byPath) {
    for (const record of readRecordsFromFile(path, list)) {
      if (record.documentId !== documentId) throw new Error('journal record belongs to another document');
      if (record.seq > fromSeq && record.seq <= upToSeq) found.push({ seq: record.seq, updates: record.updates });
    }
  }
  return found.sort((a, b) => a.seq - b.seq).flatMap((record) => record.updates);
}

/**
 * The state covering every update of the document up to `upToSeq`, or null when the stored
 * snapshot already covers that far or there is nothing to add. The replay runs after the read
 * transaction ended, so the WAL can be checkpointed meanwhile.
 * @param {string} documentId @param {number} upToSeq @param {import('./writerProtocol.js').JournalPlace[]} places
 * @returns {Uint8Array | null}
 */
function replay(documentId, upToSeq, places) {
  const stored = read(documentId, upToSeq);
  if (!stored) return null;
  const journaled = journalUpdates(documentId, places, stored.fromSeq, upToSeq);
  if (stored.rows.length === 0 && journaled.length === 0) return null;
  // Its own guid, not a random UUID (see Room's doc).
  const doc = new Y.Doc({ guid: documentId });
  try {
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.data);
      for (const row of stored.rows) for (const update of splitRow(row.data, row.sizes)) Y.applyUpdate(doc, update);
      for (const update of journaled) Y.applyUpdate(doc, update);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

parentPort?.on('message', (/** @type {WriterRequestEnvelope} */ envelope) => {
  /** @type {WriterResponse} */
  let response;
  /** @type {ArrayBuffer[]} */
  const transfer = [];
  try {
    const request = envelope.request;
    if (request.op !== 'replay') throw new Error(`the compactor does not handle ${request.op}`);
    const state = replay(request.documentId, request.upToSeq, request.journal);
    if (state) transfer.push(/** @type {ArrayBuffer} */ (state.buffer));
    response = { requestId: envelope.requestId, ok: true, result: state };
  } catch (error) {
    const err = /** @type {{ message?: string, code?: string }} */ (error);
    response = {
      requestId: envelope.requestId,
      ok: false,
      error: { message: err.message ?? String(error), ...(err.code ? { code: err.code } : {}) },
    };
  }
  parentPort?.postMessage(response, transfer);
});
