// @ts-check
/**
 * The SQLite writer. Runs in a worker thread so that an fsync (synchronous=FULL) never blocks
 * the main event loop. It is the only connection that writes; the main thread reads through
 * its own connection (WAL lets readers and the writer proceed side by side).
 *
 * Plain JavaScript (type-checked through JSDoc) so that the same file runs from source in
 * tests and from `dist/` in production: Node 20 cannot load TypeScript in a worker thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SNAPSHOT_FILE_BYTES, removeSnapshotFile, snapshotDirOf, snapshotFileName, writeSnapshotFile } from './snapshotFiles.js';

/** @typedef {import('./writerProtocol.js').WriterRequest} WriterRequest */
/** @typedef {import('./writerProtocol.js').WriterRequestEnvelope} WriterRequestEnvelope */
/** @typedef {import('./writerProtocol.js').WriterResponse} WriterResponse */
/** @typedef {import('./writerProtocol.js').WriterWorkerData} WriterWorkerData */

const { filename, busyTimeoutMs } = /** @type {WriterWorkerData} */ (workerData);
const db = /** @type {import('better-sqlite3').Database} */ (new Database(filename));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// Checkpoints run in the compactor thread (passive, every 200 ms); this is the backstop should
// that thread be down.
db.pragma('wal_autocheckpoint = 10000');
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);

const snapshotDir = snapshotDirOf(filename);
const selectSnapshot = db.prepare('SELECT seq, file FROM document_snapshots WHERE document_id = ?');
const upsertSnapshot = db.prepare(
  `INSERT INTO document_snapshots (document_id, seq, data, file, created_at) VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, data = excluded.data, file = excluded.file, created_at = excluded.created_at
   WHERE excluded.seq > document_snapshots.seq`,
);
const EMPTY = new Uint8Array(0);
/**
 * Stores a snapshot unless one covering as much is stored (compare-and-set; this thread is the
 * only writer, so the check and the write cannot be split by another). A large one goes to a
 * file first (see snapshotFiles.js); the file it replaces is deleted once the row is committed.
 * @param {string} documentId @param {Uint8Array} snapshot @param {number} upToSeq @param {string} createdAt
 */
function compact(documentId, snapshot, upToSeq, createdAt) {
  const current = /** @type {{ seq: number, file: string | null } | undefined} */ (selectSnapshot.get(documentId));
  if (current && current.seq >= upToSeq) return false;
  const file = snapshot.byteLength >= SNAPSHOT_FILE_BYTES ? snapshotFileName(documentId, upToSeq) : null;
  if (file) writeSnapshotFile(snapshotDir, file, snapshot);
  let written = false;
  try {
    written = upsertSnapshot.run(documentId, upToSeq, file ? EMPTY : snapshot, file, createdAt).changes > 0;
  } finally {
    if (file && !written) removeSnapshotFile(snapshotDir, file);
  }
  if (written && current?.file && current.file !== file) removeSnapshotFile(snapshotDir, current.file);
  return written;
}
/**
 * Covered rows are deleted in chunks of their own (a long delete in the snapshot's transaction
 * held every append behind it for 35–45 ms). Only rows a stored snapshot covers are deleted.
 */
const pruneCovered = db.prepare(
  `DELETE FROM document_updates WHERE seq IN (
     SELECT u.seq FROM document_updates u JOIN document_snapshots s ON s.document_id = u.document_id
     WHERE u.document_id = ? AND u.seq <= ? AND u.seq <= s.seq ORDER BY u.seq LIMIT ?)`,
);
const pruneAll = db.transaction(
  /** @param {import('./writerProtocol.js').PruneJob[]} jobs @param {number} limit @returns {boolean[]} */
  (jobs, limit) => {
    let left = limit;
    return jobs.map((job) => {
      if (left <= 0) return false;
      const deleted = pruneCovered.run(job.documentId, job.upToSeq, left).changes;
      const none = deleted < left; // fewer than allowed: none left
      left -= deleted;
      return none;
    });
  },
);

const ping = db.prepare('SELECT 1 AS one');

/** @type {Map<string, import('better-sqlite3').Statement>} */
const statements = new Map();
/** @param {string} sql */
function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

const runAll = db.transaction(
  /** @param {import('./writerProtocol.js').WriteStatement[]} list @returns {import('./writerProtocol.js').WriteResult[]} */
  (list) =>
    list.map((statement) => {
      const { changes } = prepared(statement.sql).run(...statement.params);
      if (statement.expectChanges !== undefined && changes !== statement.expectChanges) {
        const error = /** @type {Error & { code?: string }} */ (new Error('expectation failed'));
        error.code = 'SAMVERKAN_EXPECTATION';
        throw error;
      }
      return { changes };
    }),
);

/** @param {WriterRequest} request @returns {unknown} */
function handle(request) {
  switch (request.op) {
    case 'compact':
      return compact(request.documentId, request.snapshot, request.upToSeq, request.createdAt);
    case 'prune':
      return pruneAll(request.jobs, request.limit);
    case 'ping':
      return ping.get();
    case 'transaction':
      return runAll(request.statements);
  }
}

parentPort?.on('message', (/** @type {WriterRequestEnvelope} */ envelope) => {
  /** @type {WriterResponse} */
  let response;
  try {
    response = { requestId: envelope.requestId, ok: true, result: handle(envelope.request) };
  } catch (error) {
    const err = /** @type {{ message?: string, code?: string }} */ (error);
    response = {
      requestId: envelope.requestId,
      ok: false,
      error: { message: err.message ?? String(error), ...(err.code ? { code: err.code } : {}) },
    };
  }
  parentPort?.postMessage(response);
});
