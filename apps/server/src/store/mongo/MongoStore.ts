import type { DocumentType } from '@samverkan/protocol';
// mongoose is CommonJS: Node's ESM loader only sees its default export.
import mongoose, { type ClientSession, type Connection } from 'mongoose';
import { GroupCommitter } from '../GroupCommitter.js';
import {
  type AdoptionRepository,
  type AccountsRepository,
  type AuditLog,
  type DocumentCatalogue,
  type DocumentRecord,
  type LoadedDocument,
  type SearchIndex,
  type SessionRepository,
  type ShareRepository,
  type Store,
  type StoreHealth,
  type UpdateLog,
  STORE_CLOSED,
} from '../ports.js';
import { createMongoSearch } from './MongoSearch.js';
import { createMongoAccounts, createMongoAdoptions, createMongoAudit, createMongoSessions, createMongoShares } from './MongoAccounts.js';
import { DEFAULT_PART_BYTES, joinParts, splitIntoParts } from './parts.js';
import {
  documentsIn,
  compactionCompareAndSet,
  configureMongoose,
  coveredUpdates,
  listedDocuments,
  reserveSeqs,
  updatesAfter,
} from './queries.js';
import { type DocumentDoc, type MongoModels, defineModels } from './schemas.js';

/** Options of the MongoDB store. */
export interface MongoStoreOptions {
  /** `mongodb://…` connection string; a replica set is required (transactions). */
  url: string;
  /** Database name; default: the one in the URL. */
  dbName?: string;
  /** Bytes per stored part of an update or snapshot (default 8 MiB, under the 16 MB BSON limit). */
  partBytes?: number;
  onCommitError?: (error: unknown) => void;
  onCommitRecovered?: () => void;
}

interface AppendItem {
  documentId: string;
  updates: Uint8Array[];
}

/** Every write waits for a majority of the replica set and the journal. */
const WRITE_CONCERN = { w: 'majority' as const, j: true };

function toRecord(doc: DocumentDoc): DocumentRecord {
  return {
    id: doc._id,
    type: doc.type as DocumentType,
    title: doc.title,
    visibility: doc.visibility,
    ownerOrganisationId: doc.ownerOrganisationId ?? null,
    createdBy: doc.createdBy ?? null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    deletedAt: doc.deletedAt ? doc.deletedAt.toISOString() : null,
  };
}

/**
 * Bytes of a stored `data` field: a Buffer from a hydrated document, or a BSON `Binary` from a
 * lean query (whose `buffer` may be longer than its value, hence `value()`).
 */
export function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'object' && data !== null && typeof (data as { value?: unknown }).value === 'function') {
    const value = (data as { value(): unknown }).value();
    if (value instanceof Uint8Array) return value;
  }
  throw new TypeError('stored data is not binary');
}

/**
 * The production store: MongoDB through mongoose, with the same guarantees as the embedded
 * store: appends are durable (`{w: 'majority', j: true}`, in a transaction) before they
 * resolve, grouped adaptively and retried head of line; loads read a consistent snapshot;
 * compaction is a compare-and-set on the document head's version, so two instances never
 * both compact; blobs over the part size are split.
 */
export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  readonly updates: UpdateLog;
  readonly documents: DocumentCatalogue;
  readonly accounts: AccountsRepository;
  readonly shares: ShareRepository;
  readonly search: SearchIndex;
  readonly adoptions: AdoptionRepository;
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  private readonly appends: GroupCommitter<AppendItem, number[]>;
  private readonly partBytes: number;
  private closed = false;

  private constructor(
    private readonly connection: Connection,
    private readonly models: MongoModels,
    options: MongoStoreOptions,
  ) {
    this.partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
    this.appends = new GroupCommitter<AppendItem, number[]>((items) => this.appendBatch(items), {
      ...(options.onCommitError ? { onError: options.onCommitError } : {}),
      ...(options.onCommitRecovered ? { onRecovered: options.onCommitRecovered } : {}),
    });
    this.updates = {
      appendUpdates: (documentId, updates) =>
        updates.length === 0 ? Promise.resolve([]) : this.appends.submit({ documentId, updates }),
      loadDocument: (documentId) => this.loadDocument(documentId),
      compact: (documentId, snapshot, upToSeq) => this.compact(documentId, snapshot, upToSeq),
      flush: () => this.appends.flush(),
    };
    this.documents = this.createCatalogue();
    this.accounts = createMongoAccounts(models, (fn) => this.transaction(fn));
    this.sessions = createMongoSessions(models);
    this.shares = createMongoShares(models);
    this.search = createMongoSearch(models);
    this.adoptions = createMongoAdoptions(models);
    this.audit = createMongoAudit(models);
  }

  /** Connects, builds the declared indexes and returns the store. */
  static async open(options: MongoStoreOptions): Promise<MongoStore> {
    const instance = new mongoose.Mongoose();
    configureMongoose(instance);
    const connection = instance.createConnection(options.url, {
      ...(options.dbName ? { dbName: options.dbName } : {}),
      writeConcern: WRITE_CONCERN,
      readConcern: { level: 'majority' },
      autoIndex: false,
      serverSelectionTimeoutMS: 10_000,
    });
    await connection.asPromise();
    const models = defineModels(connection);
    await Promise.all(Object.values(models).map((model) => model.syncIndexes()));
    return new MongoStore(connection, models, options);
  }

  health(): StoreHealth {
    if (this.closed) return { ok: false, error: STORE_CLOSED };
    if (this.connection.readyState !== mongoose.ConnectionStates.connected) return { ok: false, error: 'not connected to MongoDB' };
    const error = this.appends.lastError;
    return error === null ? { ok: true } : { ok: false, error };
  }

  async ping(timeoutMs = 2000): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('not connected to MongoDB');
    await db.admin().command({ ping: 1 }, { timeoutMS: timeoutMs });
  }

  commitQueueLength(): number {
    return this.appends.queueLength;
  }

  /** Drops the whole database (contract tests only). */
  async dropDatabase(): Promise<void> {
    await this.connection.dropDatabase();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.appends.close();
    this.closed = true;
    await this.connection.close();
  }

  private transaction<T>(fn: (session: ClientSession) => Promise<T>, readSnapshot = false): Promise<T> {
    return this.connection.transaction(fn, {
      writeConcern: WRITE_CONCERN,
      readConcern: { level: readSnapshot ? 'snapshot' : 'majority' },
    });
  }

  private async appendBatch(items: AppendItem[]): Promise<number[][]> {
    return this.transaction(async (session) => {
      const results: number[][] = [];
      const parts: { documentId: string; seq: number; part: number; parts: number; data: Buffer }[] = [];
      for (const item of items) {
        const { filter, update } = reserveSeqs(item.documentId, item.updates.length);
        const head = await this.models.heads
          .findOneAndUpdate(filter, update, { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false, session })
          .lean()
          .orFail();
        const first = head.nextSeq - item.updates.length + 1;
        const seqs = item.updates.map((_, index) => first + index);
        results.push(seqs);
        item.updates.forEach((data, index) => {
          for (const part of splitIntoParts(seqs[index] as number, data, this.partBytes)) {
            parts.push({ documentId: item.documentId, ...part, data: Buffer.from(part.data) });
          }
        });
      }
      await this.models.updates.insertMany(parts, { session, ordered: true });
      return results;
    });
  }

  private async loadDocument(documentId: string): Promise<LoadedDocument> {
    return this.transaction(async (session) => {
      const head = await this.models.heads.findById(documentId).session(session).lean();
      const snapshotSeq = head?.snapshotSeq ?? 0;
      let snapshot: Uint8Array | null = null;
      if (snapshotSeq > 0) {
        const snapshotParts = await this.models.snapshots
          .find({ documentId, seq: snapshotSeq })
          .sort({ part: 1 })
          .session(session)
          .lean();
        const joined = joinParts(snapshotParts.map((part) => ({ ...part, data: toBytes(part.data) })));
        snapshot = joined[0]?.data ?? null;
        if (!snapshot) throw new Error(`snapshot ${snapshotSeq} of ${documentId} is missing`);
      }
      const updateParts = await this.models.updates
        .find(updatesAfter(documentId, snapshotSeq))
        .sort({ seq: 1, part: 1 })
        .session(session)
        .lean();
      const updates = joinParts(updateParts.map((part) => ({ ...part, data: toBytes(part.data) })));
      return { snapshot, snapshotSeq, updates };
    }, true);
  }

  private async compact(documentId: string, snapshot: Uint8Array, upToSeq: number): Promise<boolean> {
    return this.transaction(async (session) => {
      const head = await this.models.heads.findById(documentId).session(session).lean();
      if (!head || head.snapshotSeq >= upToSeq || head.nextSeq < upToSeq) return false;
      const { filter, update } = compactionCompareAndSet(documentId, head.version, upToSeq);
      const swapped = await this.models.heads.updateOne(filter, update, { session });
      if (swapped.modifiedCount !== 1) return false;
      await this.models.snapshots.deleteMany({ documentId }, { session });
      await this.models.snapshots.insertMany(
        splitIntoParts(upToSeq, snapshot, this.partBytes).map((part) => ({ documentId, ...part, data: Buffer.from(part.data) })),
        { session },
      );
      await this.models.updates.deleteMany(coveredUpdates(documentId, upToSeq), { session });
      return true;
    });
  }

  private createCatalogue(): DocumentCatalogue {
    const documents = this.models.documents;
    return {
      create: async (record) => {
        await documents.create(
          [
            {
              _id: record.id,
              type: record.type,
              title: record.title,
              visibility: record.visibility,
              ownerOrganisationId: record.ownerOrganisationId,
              createdBy: record.createdBy,
              createdAt: new Date(record.createdAt),
              updatedAt: new Date(record.updatedAt),
              deletedAt: null,
            },
          ],
          {},
        );
        return { ...record, deletedAt: null };
      },
      get: async (documentId) => {
        const doc = await documents.findById(documentId).lean<DocumentDoc>();
        return doc ? toRecord(doc) : null;
      },
      list: async () => {
        const docs = await documents.find(listedDocuments()).sort({ updatedAt: -1, _id: 1 }).lean<DocumentDoc[]>();
        return docs.map(toRecord);
      },
      setVisibility: async (documentId, visibility, updatedAt) => {
        const result = await documents.updateOne({ _id: documentId }, { $set: { visibility, updatedAt: new Date(updatedAt) } });
        return result.matchedCount === 1;
      },
      setFacts: async (documentId, factsJson) => {
        await documents.updateOne({ _id: documentId }, { $set: { facts: factsJson } });
      },
      getFacts: async (documentIds) => {
        const docs = await documents.find({ _id: documentsIn(documentIds) }, { _id: 1, facts: 1 }).lean<{ _id: string; facts?: string | null }[]>();
        return new Map(docs.filter((doc) => typeof doc.facts === 'string').map((doc) => [doc._id, doc.facts as string]));
      },
      moveToTrash: async (documentId, deletedAt) => {
        const result = await documents.updateOne({ _id: documentId, deletedAt: null }, { $set: { deletedAt: new Date(deletedAt) } });
        return result.modifiedCount === 1;
      },
      updateTitle: async (documentId, title, updatedAt) => {
        const result = await documents.updateOne({ _id: documentId }, { $set: { title, updatedAt: new Date(updatedAt) } });
        return result.matchedCount === 1;
      },
    };
  }
}
