import type { DocumentType, Visibility } from '@samverkan/protocol';
import type * as Y from 'yjs';

/** One Yjs update as stored in the update log. `seq` grows monotonically per store. */
export interface StoredUpdate {
  seq: number;
  data: Uint8Array;
}

/** What `loadDocument` returns: the latest snapshot (if any) and the updates after it, in order. */
export interface LoadedDocument {
  snapshot: Uint8Array | null;
  /** Highest update seq the snapshot covers (0 without a snapshot). */
  snapshotSeq: number;
  updates: StoredUpdate[];
}

/**
 * The Yjs update log. Implementations group concurrent appends into one durable commit
 * (adaptive group commit) and resolve each append only once it is durable.
 */
export interface UpdateLog {
  /**
   * Appends updates of one document. Resolves with their seqs once they are durable.
   * Appends are committed in the order they were submitted; a failed commit is retried
   * (the store reports itself unhealthy meanwhile) rather than rejected.
   */
  appendUpdates(documentId: string, updates: Uint8Array[]): Promise<number[]>;
  /** Latest snapshot plus the updates after it. */
  loadDocument(documentId: string): Promise<LoadedDocument>;
  /**
   * Stores `snapshot` as the state covering every update of the document with seq <= `upToSeq`
   * and drops those updates. A no-op (returns false) if a snapshot covering as much or more
   * is already stored (compare-and-set), so two writers can never lose updates.
   */
  compact(documentId: string, snapshot: Uint8Array, upToSeq: number): Promise<boolean>;
  /** Resolves when every append submitted so far is durable. */
  flush(): Promise<void>;
}

/** A catalogue entry. Type, visibility and (later) owner and shares live only here. */
export interface DocumentRecord {
  id: string;
  type: DocumentType;
  title: string;
  visibility: Visibility;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** The documents catalogue. */
export interface DocumentCatalogue {
  create(record: Omit<DocumentRecord, 'deletedAt'>): Promise<DocumentRecord>;
  get(documentId: string): Promise<DocumentRecord | null>;
  /** Documents not in the trash, most recently updated first. */
  list(): Promise<DocumentRecord[]>;
  /** Mirrors a title from the Yjs document. Returns false if the document is unknown. */
  updateTitle(documentId: string, title: string, updatedAt: string): Promise<boolean>;
}

/** Health as reported by `GET /api/health`. */
export interface StoreHealth {
  ok: boolean;
  /** Last error message while unhealthy (never contains document content). */
  error?: string;
}

/** The narrow store port every adapter (SQLite, MongoDB) implements. */
export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly updates: UpdateLog;
  readonly documents: DocumentCatalogue;
  /** Current health; turns false while commits fail and true again after the next success. */
  health(): StoreHealth;
  /** Appends waiting for the next group commit (a metric). */
  commitQueueLength(): number;
  /** Round-trips to the store (and its writer); rejects if it does not answer in time. */
  ping(timeoutMs?: number): Promise<void>;
  /** Flushes pending writes and releases the store. */
  close(): Promise<void>;
}

/**
 * The only way commands edit a Yjs document: implemented by the sync layer, defined here so
 * that commands (which import the store ports) never import the sync layer.
 */
export interface DocumentChanger {
  /**
   * Runs `change` against the document's committed state; the resulting update is stored,
   * then applied and broadcast like a client's, whether or not the document is loaded.
   */
  applyServerChange(documentId: string, change: (doc: Y.Doc) => void): Promise<void>;
}
