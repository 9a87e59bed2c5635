import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DocumentType, Visibility } from '@samverkan/protocol';
import { GroupCommitter } from '../GroupCommitter.js';
import type {
  AdoptionRepository,
  AccountsRepository,
  AuditLog,
  DocumentCatalogue,
  DocumentRecord,
  SearchIndex,
  SessionRepository,
  ShareRepository,
  Store,
  StoreHealth,
  UpdateLog,
} from '../ports.js';
import { createDocumentReader } from './documentReader.js';
import { migrate } from './schema.js';
import { SqliteWriter, WriterError } from './SqliteWriter.js';
import { createSqliteSearch } from './SqliteSearch.js';
import { createSqliteAccounts, createSqliteAdoptions, createSqliteAudit, createSqliteSessions, createSqliteShares } from './SqliteAccounts.js';
import { packAppendBatch, seqsOfItems } from './appendBatch.js';
import type { AppendItem, WriteResult, WriteStatement } from './writerProtocol.js';

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
  /**
   * Longest spacing between the starts of two update commits (default 10 ms). A write that
   * finds the store idle commits at once; back-to-back commits are spaced by 1 ms per
   * {@link WRITES_PER_SECOND_PER_MS} writes a second, up to this, so that under load each commit
   * carries more updates per page written (see GroupCommitter).
   */
  commitIntervalMs?: number;
}

/** Default of {@link SqliteStoreOptions.commitIntervalMs} (and of `COMMIT_INTERVAL_MS`). */
export const DEFAULT_COMMIT_INTERVAL_MS = 10;

/**
 * Load at which commits are spaced by 1 ms: 200 documents with a writer at 10 updates/s each
 * (2,000 writes/s) wait 0.5 ms, 20,000 writes/s wait 5 ms.
 */
export const WRITES_PER_SECOND_PER_MS = 4000;

/**
 * Page size of a new database file. Update rows are small and committed often; every commit
 * writes each page it touched (the row's leaf, the index leaf, the sequence) to the WAL, so
 * small pages mean fewer bytes written per byte of update. 1 KiB was SQLite's own default
 * until 3.12. An existing file keeps the page size it was created with.
 */
const NEW_FILE_PAGE_SIZE = 1024;

/** Covered update rows deleted per commit after a compaction (see `prune`). */
const PRUNE_CHUNK_ROWS = 50;
/** Documents one prune chunk may span. */
const PRUNE_JOBS_PER_CHUNK = 32;

/** A document whose covered rows are still to be deleted, and its waiters. */
interface PruneEntry {
  upToSeq: number;
  done: Promise<void>;
  resolve: () => void;
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
 * The embedded store: one SQLite file in WAL mode. All writes go through one writer worker
 * thread (synchronous=FULL) with adaptive group commit; reads use a connection on the main
 * thread.
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
  private readonly writer: SqliteWriter;
  /** Replays documents for compaction in a thread of its own (read-only connection). */
  private readonly compactor: SqliteWriter;
  private readonly appends: GroupCommitter<AppendItem, number[]>;
  private closed = false;
  /** Documents whose covered rows are still to be deleted (see `prune`). */
  private readonly prunes = new Map<string, PruneEntry>();
  private pruning = false;
  /** Documents in the latest append commit (each got a row: the prune chunk keeps pace). */
  private lastBatchDocuments = 0;

  constructor(private readonly options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
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
    this.writer = new SqliteWriter({ filename: this.filename, busyTimeoutMs: options.busyTimeoutMs ?? 2000 });
    this.compactor = new SqliteWriter({ filename: this.filename, busyTimeoutMs: options.busyTimeoutMs ?? 2000 }, 'compactor');
    // Started now, not at the first compaction: it also checkpoints the WAL.
    this.compactor.start();
    this.appends = new GroupCommitter<AppendItem, number[]>(
      async (items) => {
        // Packed afresh on every attempt: a retry cannot reuse a buffer already transferred.
        const batch = packAppendBatch(items);
        this.lastBatchDocuments = batch.documents.length;
        const rowSeqs = await this.writer.request<number[]>({ op: 'append', documents: batch.documents, data: batch.data }, [batch.data]);
        return seqsOfItems(items, batch, rowSeqs);
      },
      {
        maxIntervalMs: options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS,
        itemsPerSecondPerMs: WRITES_PER_SECOND_PER_MS,
        onCommitted: () => this.pumpPrunes(true),
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
  }

  health(): StoreHealth {
    if (this.closed) return { ok: false, error: 'store is closed' };
    const error = this.appends.lastError;
    return error === null ? { ok: true } : { ok: false, error };
  }

  async ping(timeoutMs = 2000): Promise<void> {
    this.reader.prepare('SELECT 1').get();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WriterError(`writer did not answer within ${timeoutMs} ms`)), timeoutMs);
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
    await this.compactor.close();
    await this.writer.close();
    this.reader.close();
  }

  private createUpdateLog(): UpdateLog {
    const readDocument = createDocumentReader(this.reader);
    return {
      appendUpdates: (documentId, updates) => {
        if (updates.length === 0) return Promise.resolve([]);
        return this.appends.submit({ documentId, updates });
      },
      loadDocument: (documentId) => Promise.resolve(readDocument(documentId)),
      compact: (documentId, snapshot, upToSeq) => this.storeSnapshot(documentId, snapshot, upToSeq),
      // Replayed in the compactor thread; the writer only stores the result (compare-and-set),
      // so commits are never held up by the replay.
      compactInStore: async (documentId, upToSeq) => {
        const snapshot = await this.compactor.request<Uint8Array | null>({ op: 'replay', documentId, upToSeq });
        if (!snapshot) return null;
        const size = snapshot.byteLength; // read before the buffer moves to the writer
        return (await this.storeSnapshot(documentId, snapshot, upToSeq, true)) ? size : null;
      },
      flush: () => this.appends.flush(),
    };
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
    if (written) await this.prune(documentId, upToSeq);
    return written;
  }

  /**
   * Deletes the rows a new snapshot covers, resolving when they are gone. The deletes run as
   * chunks with lower priority than appends: while updates are being committed, one chunk goes
   * into the gap after a commit (when commits are spaced, or nothing is waiting), otherwise
   * they run back to back. A chunk spans documents and deletes at least twice as many rows as
   * the latest commit added, so pruning keeps pace with appends. A crash part-way leaves
   * covered rows that loads skip and the next open deletes.
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
    this.pumpPrunes(false);
    return done;
  }

  /** Sends the next prune chunk unless one is running (or, right after a commit, there is no gap). */
  private pumpPrunes(afterCommit: boolean): void {
    if (this.pruning || this.closed || this.prunes.size === 0) return;
    // Unspaced commits with writes waiting: the next commit goes first.
    if (afterCommit && this.appends.queueLength > 0 && this.appends.spacingMs < 1) return;
    const sent: { documentId: string; job: PruneEntry; upToSeq: number }[] = [];
    for (const [documentId, job] of this.prunes) {
      if (sent.length === PRUNE_JOBS_PER_CHUNK) break;
      sent.push({ documentId, job, upToSeq: job.upToSeq });
    }
    const limit = Math.max(PRUNE_CHUNK_ROWS, 2 * this.lastBatchDocuments);
    const finish = (entry: (typeof sent)[number]): void => {
      if (this.prunes.get(entry.documentId) !== entry.job) return;
      this.prunes.delete(entry.documentId);
      entry.job.resolve();
    };
    this.pruning = true;
    let request: Promise<boolean[]>;
    try {
      request = this.writer.request<boolean[]>({ op: 'prune', jobs: sent.map(({ documentId, upToSeq }) => ({ documentId, upToSeq })), limit });
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
        // While appends are committing, the next chunk waits for the end of the next commit.
        if (!this.appends.busy) this.pumpPrunes(false);
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
