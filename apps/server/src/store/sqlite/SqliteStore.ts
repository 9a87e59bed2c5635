import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DocumentType, Visibility } from '@samverkan/protocol';
import { GroupCommitter } from '../GroupCommitter.js';
import {
  type AdoptionRepository,
  type AccountsRepository,
  type AuditLog,
  type DocumentCatalogue,
  type DocumentRecord,
  type SearchIndex,
  type SessionRepository,
  type ShareRepository,
  type Store,
  type StoreHealth,
  type UpdateLog,
  STORE_CLOSED,
} from '../ports.js';
import { createDocumentReader } from './documentReader.js';
import { migrate } from './schema.js';
import { SqliteWriter, WRITER_UNAVAILABLE, WriterError } from './SqliteWriter.js';
import { createSqliteSearch } from './SqliteSearch.js';
import { createSqliteAccounts, createSqliteAdoptions, createSqliteAudit, createSqliteSessions, createSqliteShares } from './SqliteAccounts.js';
import { type AppendItem, groupAppendItems, seqsOfItems } from './appendBatch.js';
import { UpdateJournal } from './UpdateJournal.js';
import { removeSnapshotFile, snapshotDirOf, syncDirectory } from './snapshotFiles.js';
import type { WriteResult, WriteStatement } from './writerProtocol.js';

/** Options of the embedded store. */
export interface SqliteStoreOptions {
  /** Folder of `samverkan.sqlite` (created if missing). */
  dataDir: string;
  /** How long the writer waits for a lock before a commit fails and is retried (default 2000 ms). */
  busyTimeoutMs?: number;
  /** Called on every failed commit (the batch is retried). Must not log document content. */
  onCommitError?: (error: unknown) => void;
  /** Called once commits succeed again after failures. */
  onCommitRecovered?: () => void;
  /** Called with things an operator should look at (no document content). */
  onWarning?: (message: string, details: Record<string, unknown>) => void;
  /**
   * Longest spacing between the starts of two update commits (default 10 ms). A write that
   * finds the store idle commits at once; above {@link UNSPACED_BELOW_WRITES_PER_SECOND}, back-to-back
   * commits are spaced by 1 ms per {@link WRITES_PER_SECOND_PER_MS} writes a second, up to this, so that under load each commit
   * carries more updates per page written (see GroupCommitter).
   */
  commitIntervalMs?: number;
  /** A journal segment is sealed once it holds this many bytes (default 16 MiB). */
  journalSegmentBytes?: number;
  /**
   * Journal commits written on the event loop that take longer than this (ms) on average send
   * the next ones to the thread pool for a while (default 5 ms; 0: always the thread pool). See WritePlacement.
   */
  journalInlineWriteLimitMs?: number;
  /**
   * Sealed journal segments kept alive by records no snapshot covers yet (default 4). Beyond
   * this, the documents holding records in the oldest one are compacted so that it can go.
   */
  maxSealedSegments?: number;
}

/** Default of {@link SqliteStoreOptions.commitIntervalMs} (and of `COMMIT_INTERVAL_MS`). */
export const DEFAULT_COMMIT_INTERVAL_MS = 10;

/**
 * Load at which back-to-back commits are spaced by 1 ms, above {@link UNSPACED_BELOW_WRITES_PER_SECOND}:
 * 20,000 writes/s wait 10 ms, so each journal commit carries about 200 updates (every commit
 * rewrites the partly filled last page of the segment: larger commits write fewer bytes per byte
 * of update).
 */
export const WRITES_PER_SECOND_PER_MS = 2000;
/**
 * Below this load commits are not spaced: 200 documents with a writer at 10 updates/s each
 * (2,000 writes/s) commit as fast as the disk allows.
 */
export const UNSPACED_BELOW_WRITES_PER_SECOND = 4000;

/**
 * Page size of a new database file. Update rows are small and committed often; every commit
 * writes each page it touched (the row's leaf, the index leaf, the sequence) to the WAL, so
 * small pages mean fewer bytes written per byte of update. 1 KiB was SQLite's own default
 * until 3.12. An existing file keeps the page size it was created with.
 */
const NEW_FILE_PAGE_SIZE = 1024;

/** Default of {@link SqliteStoreOptions.journalSegmentBytes} (and of `JOURNAL_SEGMENT_BYTES`). */
export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;
/** Default of {@link SqliteStoreOptions.maxSealedSegments}. */
const DEFAULT_MAX_SEALED_SEGMENTS = 4;
/** Wait after a failed compaction of a segment's documents before trying again. */
const RELOCATION_RETRY_MS = 5000;

/** Covered update rows deleted per commit after a compaction (see `prune`). */
const PRUNE_CHUNK_ROWS = 500;
/** Documents one prune chunk may span. */
const PRUNE_JOBS_PER_CHUNK = 32;

/** A document whose covered rows are still to be deleted, and its waiters. */
interface PruneEntry {
  upToSeq: number;
  done: Promise<void>;
  resolve: () => void;
}

/**
 * Takes the data folder for one store: an exclusive lock on `samverkan.lock` (a SQLite file with
 * an exclusive transaction held open), which the kernel releases when the process ends, also in
 * a crash. A second store on the folder, in this process or another (another container with the
 * same volume too), is refused: two would hand out the same seqs and write journal segments
 * under the same names.
 */
function lockDataFolder(dataDir: string): Database.Database {
  const lock = new Database(join(dataDir, 'samverkan.lock'));
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`the data folder ${dataDir} is in use by another Samverkan server`, { cause: error });
    }
    throw error;
  }
  return lock;
}

interface DocumentRow {
  id: string;
  type: string;
  title: string;
  visibility: Visibility;
  owner_organisation_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    type: row.type as DocumentType,
    title: row.title,
    visibility: row.visibility,
    ownerOrganisationId: row.owner_organisation_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

/**
 * The embedded store: one SQLite file in WAL mode, and an append-only journal of document
 * updates beside it (`journal/`). Updates are committed to the journal in adaptive group
 * commits (one O_DSYNC write each, off the event loop); snapshots and every other
 * write go through one SQLite writer worker thread (synchronous=FULL). Reads use a connection on
 * the main thread. Rows in `document_updates` are those written before the journal existed:
 * they still load, and compaction deletes them.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly updates: UpdateLog;
  readonly documents: DocumentCatalogue;
  readonly accounts: AccountsRepository;
  readonly shares: ShareRepository;
  readonly search: SearchIndex;
  readonly adoptions: AdoptionRepository;
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  /** Path of the database file. */
  readonly filename: string;

  private readonly reader: Database.Database;
  /** Seq of a document's stored snapshot (a statement of the reader). */
  private readonly selectSnapshotSeq: Database.Statement;
  /** Folder of the snapshots kept in files (see snapshotFiles.js). */
  private readonly snapshotDir: string;
  /** Holds the data folder for this store (see lockDataFolder). */
  private readonly lock: Database.Database;
  private readonly writer: SqliteWriter;
  /** Replays documents for compaction in a thread of its own (read-only connection). */
  private readonly compactor: SqliteWriter;
  private readonly appends: GroupCommitter<AppendItem, number[]>;
  /** New updates: append-only segments with an in-memory index (see UpdateJournal). */
  private readonly journal: UpdateJournal;
  /** Seq of the next journal record (store-wide, above every seq in SQLite and the journal). */
  private nextSeq: number;
  /** Documents with rows in `document_updates` (written before the journal) and their last seq. */
  private readonly legacyRows = new Map<string, number>();
  /** Each document's compaction in flight: compactions of one document run one at a time. */
  private readonly compactions = new Map<string, Promise<unknown>>();
  private readonly maxSealedSegments: number;
  private relocating = false;
  private relocationBlockedUntil = 0;
  private closed = false;
  /** Documents whose covered rows are still to be deleted (see `prune`). */
  private readonly prunes = new Map<string, PruneEntry>();
  private pruning = false;

  constructor(private readonly options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    // First of all: nothing in the folder is touched unless this store holds it.
    this.lock = lockDataFolder(options.dataDir);
    try {
      this.filename = join(options.dataDir, 'samverkan.sqlite');
      const isNew = !existsSync(this.filename);
      this.reader = new Database(this.filename);
      if (isNew) this.reader.pragma(`page_size = ${NEW_FILE_PAGE_SIZE}`);
      this.reader.pragma('journal_mode = WAL');
      this.reader.pragma('busy_timeout = 5000');
      migrate(this.reader);
      // Rows a snapshot covers but a prune did not reach before the process stopped (erased
      // content must not stay in the file).
      this.reader
        .prepare(
          `DELETE FROM document_updates WHERE seq IN (
             SELECT u.seq FROM document_snapshots s JOIN document_updates u ON u.document_id = s.document_id AND u.seq <= s.seq)`,
        )
        .run();
      // Snapshot files no row names: written by a compaction whose row never committed, or
      // replaced by a newer one just before a crash.
      this.snapshotDir = snapshotDirOf(this.filename);
      mkdirSync(this.snapshotDir, { recursive: true });
      const named = new Set(this.reader.prepare('SELECT file FROM document_snapshots WHERE file IS NOT NULL').pluck().all() as string[]);
      for (const name of readdirSync(this.snapshotDir)) {
        if (!named.has(name)) removeSnapshotFile(this.snapshotDir, name);
      }
      this.selectSnapshotSeq = this.reader.prepare('SELECT seq FROM document_snapshots WHERE document_id = ?').pluck();
      const coveredAtOpen = new Map<string, number>();
      this.journal = new UpdateJournal({
        dir: join(options.dataDir, 'journal'),
        segmentBytes: options.journalSegmentBytes ?? DEFAULT_SEGMENT_BYTES,
        ...(options.journalInlineWriteLimitMs !== undefined ? { inlineWriteLimitMs: options.journalInlineWriteLimitMs } : {}),
        onSlowDisk: ({ tookMs, averageMs, backoffMs }) =>
          options.onWarning?.('journal commits on the event loop were slow; they go through the thread pool for a while', {
            tookMs: Math.round(tookMs * 10) / 10,
            averageMs: Math.round(averageMs * 10) / 10,
            backoffMs,
          }),
        coveredSeq: (documentId) => {
          let seq = coveredAtOpen.get(documentId);
          if (seq === undefined) {
            seq = (this.selectSnapshotSeq.get(documentId) as number | undefined) ?? 0;
            coveredAtOpen.set(documentId, seq);
          }
          return seq;
        },
      });
      // The folders just made (journal/, snapshots/) must survive a power loss with what goes in them.
      syncDirectory(options.dataDir);
      for (const path of this.journal.damagedSegments) {
        options.onWarning?.('journal segment has unreadable bytes before its end; kept as it is, records after them are not loaded', { path });
      }
      this.maxSealedSegments = options.maxSealedSegments ?? DEFAULT_MAX_SEALED_SEGMENTS;
      for (const row of this.reader.prepare('SELECT document_id, MAX(seq) AS seq FROM document_updates GROUP BY document_id').all() as { document_id: string; seq: number }[]) {
        this.legacyRows.set(row.document_id, row.seq);
      }
      const sqliteMaxSeq = this.reader
        .prepare(
          `SELECT MAX(
             COALESCE((SELECT MAX(seq) FROM document_updates), 0),
             COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'document_updates'), 0),
             COALESCE((SELECT MAX(seq) FROM document_snapshots), 0))`,
        )
        .pluck()
        .get() as number;
      this.nextSeq = Math.max(sqliteMaxSeq, this.journal.recoveredMaxSeq) + 1;
      this.writer = new SqliteWriter({ filename: this.filename, busyTimeoutMs: options.busyTimeoutMs ?? 2000 });
      this.compactor = new SqliteWriter({ filename: this.filename, busyTimeoutMs: options.busyTimeoutMs ?? 2000 }, 'compactor');
      // Started now, not at the first compaction: it also checkpoints the WAL.
      this.compactor.start();
      this.appends = new GroupCommitter<AppendItem, number[]>(
        async (items) => {
          const batch = groupAppendItems(items);
          // New seqs on every attempt: a failed attempt may have left records in its segment.
          const seqs = batch.documents.map(() => this.nextSeq++);
          await this.journal.append(batch.documents, seqs);
          return seqsOfItems(items, batch, seqs);
        },
        {
          maxIntervalMs: options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS,
          itemsPerSecondPerMs: WRITES_PER_SECOND_PER_MS,
          unspacedBelowItemsPerSecond: UNSPACED_BELOW_WRITES_PER_SECOND,
          onCommitted: () => this.relocate(),
          ...(options.onCommitError ? { onError: options.onCommitError } : {}),
          ...(options.onCommitRecovered ? { onRecovered: options.onCommitRecovered } : {}),
        },
      );
      this.updates = this.createUpdateLog();
      this.documents = this.createCatalogue();
      const write = (statements: WriteStatement[]) => this.writer.request<WriteResult[]>({ op: 'transaction', statements });
      this.accounts = createSqliteAccounts(this.reader, write);
      this.shares = createSqliteShares(this.reader, write);
      this.search = createSqliteSearch(this.reader, write);
      this.adoptions = createSqliteAdoptions(this.reader, write);
      this.sessions = createSqliteSessions(this.reader, write);
      this.audit = createSqliteAudit(this.reader, write);
    } catch (error) {
      this.lock.close();
      throw error;
    }
  }

  health(): StoreHealth {
    if (this.closed) return { ok: false, error: STORE_CLOSED };
    const error = this.appends.lastError;
    return error === null ? { ok: true } : { ok: false, error };
  }

  async ping(timeoutMs = 2000): Promise<void> {
    this.reader.prepare('SELECT 1').get();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WriterError(`writer did not answer within ${timeoutMs} ms`, WRITER_UNAVAILABLE)), timeoutMs);
    });
    try {
      await Promise.race([this.writer.request({ op: 'ping' }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  commitQueueLength(): number {
    return this.appends.queueLength;
  }

  /** Simulates a crash of the writer thread (tests of the recovery path). */
  crashWriter(): Promise<void> {
    return this.writer.crash();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.appends.close();
    this.closed = true;
    // Covered rows not yet deleted are left for the next open (which deletes them first).
    for (const job of this.prunes.values()) job.resolve();
    this.prunes.clear();
    await Promise.allSettled([...this.compactions.values()]);
    await this.compactor.close();
    await this.writer.close();
    this.journal.close();
    this.reader.close();
    this.lock.close();
  }

  private createUpdateLog(): UpdateLog {
    const readDocument = createDocumentReader(this.reader, this.snapshotDir);
    return {
      appendUpdates: (documentId, updates) => {
        if (updates.length === 0) return Promise.resolve([]);
        return this.appends.submit({ documentId, updates });
      },
      // SQLite's part (snapshot, rows from before the journal) and the journal's records after the
      // snapshot, read in one synchronous step: a compaction cannot drop records in between.
      loadDocument: (documentId) => {
        const loaded = readDocument(documentId);
        const journaled = this.journal.read(documentId, loaded.snapshotSeq);
        return Promise.resolve(journaled.length === 0 ? loaded : { ...loaded, updates: [...loaded.updates, ...journaled] });
      },
      compact: (documentId, snapshot, upToSeq) => this.serialized(documentId, () => this.storeSnapshot(documentId, snapshot, upToSeq)),
      compactInStore: (documentId, upToSeq) => this.serialized(documentId, () => this.compactDocument(documentId, upToSeq)),
      flush: () => this.appends.flush(),
    };
  }

  /** Runs `task` after the document's compaction in flight (one at a time per document). */
  private serialized<T>(documentId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.compactions.get(documentId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.compactions.set(documentId, settled);
    void settled.then(() => {
      if (this.compactions.get(documentId) === settled) this.compactions.delete(documentId);
    });
    return run;
  }

  /**
   * Replays the document up to `upToSeq` in the compactor thread (stored snapshot, rows from
   * before the journal, journal records read from their segments) and stores the result; the
   * writer only stores it (compare-and-set), so commits are never held up by the replay.
   * Resolves with the snapshot's size, or null when refused or when nothing was left to compact.
   */
  private async compactDocument(documentId: string, upToSeq: number): Promise<number | null> {
    const journal = this.journal
      .entries(documentId)
      .filter((entry) => entry.seq <= upToSeq)
      .map((entry) => ({ path: this.journal.pathOf(entry.segment), offset: entry.offset, length: entry.length }));
    const snapshot = await this.compactor.request<Uint8Array | null>({ op: 'replay', documentId, upToSeq, journal });
    if (!snapshot) {
      // A stored snapshot already covers this far: its records can go all the same.
      const stored = this.selectSnapshotSeq.get(documentId) as number | undefined;
      if (stored !== undefined) this.journal.dropCovered(documentId, stored);
      return null;
    }
    const size = snapshot.byteLength; // read before the buffer moves to the writer
    return (await this.storeSnapshot(documentId, snapshot, upToSeq, true)) ? size : null;
  }

  /**
   * Keeps the journal's sealed segments bounded: when more than `maxSealedSegments` are alive,
   * compacts the documents whose records keep the oldest one (one relocation at a time; after a
   * failure, not again for {@link RELOCATION_RETRY_MS}).
   */
  private relocate(): void {
    if (this.relocating || this.closed || this.journal.segmentCount <= this.maxSealedSegments + 1) return;
    if (Date.now() < this.relocationBlockedUntil) return;
    const pinning = this.journal.pinningDocuments(this.maxSealedSegments);
    if (pinning.length === 0) return;
    this.relocating = true;
    void (async () => {
      // One document that cannot be compacted must not keep the others' records pinned.
      for (const { documentId, upToSeq } of pinning) {
        if (this.closed) break;
        try {
          await this.serialized(documentId, () => this.compactDocument(documentId, upToSeq));
        } catch (error) {
          this.relocationBlockedUntil = Date.now() + RELOCATION_RETRY_MS;
          this.options.onWarning?.('could not compact a document that keeps an old journal segment', {
            documentId,
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      }
    })()
      .catch(() => {
        // Only a failing warning hook gets here; wait as after a failed compaction.
        this.relocationBlockedUntil = Date.now() + RELOCATION_RETRY_MS;
      })
      .finally(() => {
        this.relocating = false;
        // Still too many (several segments were over): the next oldest, without waiting for a commit.
        this.relocate();
      });
  }

  /**
   * Stores a snapshot (compare-and-set in the writer) and, once written, deletes the rows it
   * covers. `transfer` hands the snapshot's buffer to the writer instead of copying it (the
   * caller must not use it afterwards). Resolves whether the snapshot was written.
   */
  private async storeSnapshot(documentId: string, snapshot: Uint8Array, upToSeq: number, transfer = false): Promise<boolean> {
    const written = await this.writer.request<boolean>(
      { op: 'compact', documentId, snapshot, upToSeq, createdAt: new Date().toISOString() },
      transfer ? [snapshot.buffer as ArrayBuffer] : [],
    );
    if (written) {
      this.journal.dropCovered(documentId, upToSeq);
      const legacy = this.legacyRows.get(documentId);
      if (legacy !== undefined) {
        await this.prune(documentId, upToSeq);
        if (upToSeq >= legacy) this.legacyRows.delete(documentId);
      }
    }
    return written;
  }

  /**
   * Deletes the rows from before the journal that a new snapshot covers, resolving when they
   * are gone. The deletes run back to back in chunks spanning documents, so that the writer's
   * other transactions (snapshots, accounts) never wait behind one long delete. A crash part-way
   * leaves covered rows that loads skip and the next open deletes.
   */
  private prune(documentId: string, upToSeq: number): Promise<void> {
    if (this.closed) return Promise.resolve(); // left for the next open
    const existing = this.prunes.get(documentId);
    if (existing) {
      existing.upToSeq = Math.max(existing.upToSeq, upToSeq);
      return existing.done;
    }
    let resolve!: () => void;
    const done = new Promise<void>((settle) => (resolve = settle));
    this.prunes.set(documentId, { upToSeq, done, resolve });
    this.pumpPrunes();
    return done;
  }

  /** Sends the next prune chunk unless one is running. */
  private pumpPrunes(): void {
    if (this.pruning || this.closed || this.prunes.size === 0) return;
    const sent: { documentId: string; job: PruneEntry; upToSeq: number }[] = [];
    for (const [documentId, job] of this.prunes) {
      if (sent.length === PRUNE_JOBS_PER_CHUNK) break;
      sent.push({ documentId, job, upToSeq: job.upToSeq });
    }
    const finish = (entry: (typeof sent)[number]): void => {
      if (this.prunes.get(entry.documentId) !== entry.job) return;
      this.prunes.delete(entry.documentId);
      entry.job.resolve();
    };
    this.pruning = true;
    let request: Promise<boolean[]>;
    try {
      request = this.writer.request<boolean[]>({ op: 'prune', jobs: sent.map(({ documentId, upToSeq }) => ({ documentId, upToSeq })), limit: PRUNE_CHUNK_ROWS });
    } catch (error) {
      request = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    request
      .then(
        (finished) =>
          sent.forEach((entry, index) => {
            // Raised meanwhile by a newer snapshot: its job goes on.
            if (finished[index] && entry.job.upToSeq === entry.upToSeq) finish(entry);
          }),
        // Left for the next compaction or the next open; loads skip covered rows meanwhile.
        () => sent.forEach(finish),
      )
      .finally(() => {
        this.pruning = false;
        this.pumpPrunes();
      });
  }

  private createCatalogue(): DocumentCatalogue {
    const selectDocument = this.reader.prepare('SELECT * FROM documents WHERE id = ?');
    const selectDocuments = this.reader.prepare(
      'SELECT * FROM documents WHERE deleted_at IS NULL ORDER BY updated_at DESC, id',
    );
    return {
      create: async (record) => {
        await this.writer.request({
          op: 'transaction',
          statements: [
            {
              sql: `INSERT INTO documents (id, type, title, visibility, owner_organisation_id, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
              params: [
                record.id,
                record.type,
                record.title,
                record.visibility,
                record.ownerOrganisationId,
                record.createdBy,
                record.createdAt,
                record.updatedAt,
              ],
            },
          ],
        });
        return { ...record, deletedAt: null };
      },
      get: (documentId) => {
        const row = selectDocument.get(documentId) as DocumentRow | undefined;
        return Promise.resolve(row ? toRecord(row) : null);
      },
      list: () => Promise.resolve((selectDocuments.all() as DocumentRow[]).map(toRecord)),
      setVisibility: async (documentId, visibility, updatedAt) => {
        const [result] = await this.writer.request<WriteResult[]>({
          op: 'transaction',
          statements: [{ sql: 'UPDATE documents SET visibility = ?, updated_at = ? WHERE id = ?', params: [visibility, updatedAt, documentId] }],
        });
        return (result?.changes ?? 0) === 1;
      },
      setFacts: async (documentId, factsJson) => {
        await this.writer.request<WriteResult[]>({
          op: 'transaction',
          statements: [{ sql: 'UPDATE documents SET facts = ? WHERE id = ?', params: [factsJson, documentId] }],
        });
      },
      getFacts: async (documentIds) => {
        const facts = new Map<string, string>();
        for (let start = 0; start < documentIds.length; start += 500) {
          const slice = documentIds.slice(start, start + 500);
          const rows = this.reader
            .prepare(`SELECT id, facts FROM documents WHERE facts IS NOT NULL AND id IN (${slice.map(() => '?').join(', ')})`)
            .all(...slice) as { id: string; facts: string }[];
          for (const row of rows) facts.set(row.id, row.facts);
        }
        return facts;
      },
      moveToTrash: async (documentId, deletedAt) => {
        const [result] = await this.writer.request<WriteResult[]>({
          op: 'transaction',
          statements: [{ sql: 'UPDATE documents SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL', params: [deletedAt, documentId] }],
        });
        return (result?.changes ?? 0) === 1;
      },
      updateTitle: async (documentId, title, updatedAt) => {
        const [result] = await this.writer.request<WriteResult[]>({
          op: 'transaction',
          statements: [{ sql: 'UPDATE documents SET title = ?, updated_at = ? WHERE id = ?', params: [title, updatedAt, documentId] }],
        });
        return (result?.changes ?? 0) === 1;
      },
    };
  }
}
