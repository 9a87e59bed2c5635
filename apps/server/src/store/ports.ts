import type { DocumentType, Visibility } from '@samverkan/protocol';
import type * as Y from 'yjs';

/**
 * One Yjs update as stored in the update log. `seq` never decreases in the order updates were
 * committed; an adapter may give the updates one document committed in one batch the same seq
 * (SQLite stores them as one row). Compaction covers whole seqs.
 */
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
   * Appends updates of one document. Resolves with their seqs (one per update, never
   * decreasing, possibly shared within a batch) once they are durable.
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
  /**
   * Optional: compacts inside the store (off the event loop) by replaying the stored snapshot
   * and the updates up to `upToSeq` into a garbage-collected state. Same compare-and-set rule
   * as `compact`. Resolves with the stored snapshot's size in bytes, or null when refused or
   * when there was nothing to compact. Adapters that cannot do this leave it undefined.
   */
  compactInStore?(documentId: string, upToSeq: number): Promise<number | null>;
  /** Resolves when every append submitted so far is durable. */
  flush(): Promise<void>;
}

/** A catalogue entry. Type, owner, visibility and (later) shares live only here. */
export interface DocumentRecord {
  id: string;
  type: DocumentType;
  title: string;
  visibility: Visibility;
  /** The organisation that owns the document (null only for documents made before accounts). */
  ownerOrganisationId: string | null;
  /** The user who created it. */
  createdBy: string | null;
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
  /** Changes the visibility; false if the document is unknown. */
  setVisibility(documentId: string, visibility: Visibility, updatedAt: string): Promise<boolean>;
  /** Stores the figures extracted from a document (JSON of `DocumentFacts`) for the overview. */
  setFacts(documentId: string, factsJson: string): Promise<void>;
  /** The stored figures of these documents (those without figures are missing from the map). */
  getFacts(documentIds: string[]): Promise<Map<string, string>>;
  /** Moves a document to the trash (sets `deletedAt`); false if unknown or already there. */
  moveToTrash(documentId: string, deletedAt: string): Promise<boolean>;
}

/** Who a share is for. */
export type SharePrincipal = 'user' | 'organisation' | 'group';
export type ShareRole = 'viewer' | 'commenter' | 'editor';

/** An explicit share of a document (lives only in the relational store, never in the Yjs document). */
export interface ShareRecord {
  id: string;
  documentId: string;
  principalType: SharePrincipal;
  principalId: string;
  role: ShareRole;
  createdBy: string;
  createdAt: string;
}

/** Explicit shares. */
export interface ShareRepository {
  /** Adds a share, or changes the role of the existing share to the same principal (returns that one). */
  upsert(share: ShareRecord): Promise<ShareRecord>;
  listForDocument(documentId: string): Promise<ShareRecord[]>;
  /** Shares to any of these principals (the caller's user id, organisation and groups). */
  listForPrincipals(principals: { userId: string; organisationId: string; groupIds: string[] }): Promise<ShareRecord[]>;
  /** False if there is no such share on that document. */
  delete(documentId: string, shareId: string): Promise<boolean>;
}

/** Health as reported by `GET /api/health`. */
export interface StoreHealth {
  ok: boolean;
  /** Last error message while unhealthy (never contains document content); {@link STORE_CLOSED} once closed. */
  error?: string;
}

/** {@link StoreHealth.error} of a store that was closed (a shutdown): it will not answer again. */
export const STORE_CLOSED = 'store is closed';

/** A write refused because it would break a uniqueness or state rule (maps to 409). */
export class StoreConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflict';
  }
}

export type OrganisationKind = 'municipality' | 'region' | 'agency' | 'guest' | 'other';
export type NetworkRole = 'admin' | 'coordinator' | 'guest';
export type Language = 'sv' | 'en';
export type GroupKind = 'thematic' | 'neighbour';

export interface NetworkRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface OrganisationRecord {
  id: string;
  name: string;
  kind: OrganisationKind;
  createdAt: string;
}

/** A user. `email` is stored normalised (trimmed, lower case). */
export interface UserRecord {
  id: string;
  organisationId: string;
  email: string;
  name: string;
  role: NetworkRole;
  language: Language;
  passwordHash: string;
  createdAt: string;
  deactivatedAt: string | null;
}

/** A named set of organisations (thematic group or neighbour collaboration). */
export interface GroupRecord {
  id: string;
  name: string;
  kind: GroupKind;
  organisationIds: string[];
  createdAt: string;
}

/** An invitation; only the SHA-256 of its token is stored. */
export interface InvitationRecord {
  tokenHash: string;
  email: string;
  organisationId: string;
  role: NetworkRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** A password reset link; only the SHA-256 of its token is stored. */
export interface PasswordResetRecord {
  tokenHash: string;
  userId: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** A session; only the SHA-256 of the cookie value is stored. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute expiry. */
  expiresAt: string;
}

/** One audit entry: who did what to which target, when. Never content or secrets. */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetId: string | null;
  at: string;
}

/** Outcome of accepting an invitation. */
export type InvitationOutcome = 'accepted' | 'unknown' | 'used' | 'expired' | 'email_taken';

/** Network, organisations, users, groups, invitations and password resets. */
export interface AccountsRepository {
  /** First run: network, first organisation and admin, atomically; false once any user exists. */
  setup(network: NetworkRecord, organisation: OrganisationRecord, admin: UserRecord): Promise<boolean>;
  getNetwork(): Promise<NetworkRecord | null>;
  /** Throws {@link StoreConflict} if the name is taken (case-insensitive). */
  createOrganisation(organisation: OrganisationRecord): Promise<void>;
  getOrganisation(organisationId: string): Promise<OrganisationRecord | null>;
  listOrganisations(): Promise<OrganisationRecord[]>;
  getUser(userId: string): Promise<UserRecord | null>;
  /** Looks up by normalised e-mail (the caller normalises). */
  findUserByEmail(email: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  countUsers(): Promise<number>;
  /** Changes profile fields or the password hash; false if the user is unknown. */
  updateUser(userId: string, changes: Partial<Pick<UserRecord, 'name' | 'language' | 'passwordHash'>>): Promise<boolean>;
  /** Deactivates and ends every session of the user, atomically; false if unknown or already deactivated. */
  deactivateUser(userId: string, at: string): Promise<boolean>;
  /** Throws {@link StoreConflict} if an organisation does not exist. */
  createGroup(group: GroupRecord): Promise<void>;
  updateGroup(groupId: string, changes: { name?: string; organisationIds?: string[] }): Promise<boolean>;
  getGroup(groupId: string): Promise<GroupRecord | null>;
  listGroups(): Promise<GroupRecord[]>;
  createInvitation(invitation: InvitationRecord): Promise<void>;
  findInvitation(tokenHash: string): Promise<InvitationRecord | null>;
  listOpenInvitations(now: string): Promise<InvitationRecord[]>;
  /** Marks the invitation used and creates the user, atomically, if it is open at `now`. */
  acceptInvitation(tokenHash: string, user: UserRecord, now: string): Promise<InvitationOutcome>;
  createPasswordReset(reset: PasswordResetRecord): Promise<void>;
  /**
   * Uses a reset link once: sets the new password hash and ends the user's sessions,
   * atomically. Returns the user, or null if the link is unknown, used, expired or the user is
   * deactivated.
   */
  consumePasswordReset(tokenHash: string, passwordHash: string, now: string): Promise<UserRecord | null>;
}

/** Sessions, stored by the hash of the cookie value. */
export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  get(idHash: string): Promise<SessionRecord | null>;
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  delete(idHash: string): Promise<boolean>;
  deleteForUser(userId: string): Promise<number>;
}

/** A measure (or a pilot's recommendation) copied into another plan. */
export interface AdoptionRecord {
  id: string;
  sourceDocumentId: string;
  /** The measure id, or null when a pilot was adopted. */
  sourceItemId: string | null;
  targetDocumentId: string;
  targetItemId: string;
  adoptedBy: string;
  adoptedAt: string;
}

/** Adoptions, kept in the relational store so a source shows its adopters without anyone editing it. */
export interface AdoptionRepository {
  create(adoption: AdoptionRecord): Promise<void>;
  listForSource(documentId: string): Promise<AdoptionRecord[]>;
}

/** What the search index holds for one document or one item (measure) of it. */
export interface SearchEntry {
  documentId: string;
  /** The measure id, or null for the document itself. */
  itemId: string | null;
  title: string;
  body: string;
  sector: string | null;
  status: string | null;
}

/** A search hit; `title` and `snippet` mark matches with \u0002 … \u0003. */
export interface SearchHit {
  documentId: string;
  itemId: string | null;
  title: string;
  snippet: string;
  sector: string | null;
  status: string | null;
}

/**
 * Full-text search over titles, measure texts and pilot logs. Swedish: å, ä and ö are letters
 * of their own, matching is case-insensitive, and a word finds its longer forms (prefix match
 * in SQLite; stemming in MongoDB — see docs/architecture.md for the differences).
 */
export interface SearchIndex {
  /** Replaces everything indexed for a document. */
  replaceDocument(documentId: string, entries: SearchEntry[]): Promise<void>;
  removeDocument(documentId: string): Promise<void>;
  /** Hits among `documentIds` only (the caller passes what the user may read). */
  search(query: string, options: { documentIds: string[]; limit: number }): Promise<SearchHit[]>;
}

/** The audit port: every command records one entry. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<AuditEntry[]>;
  /** Whether this very entry (same actor, action, target and time) is recorded (a retried record). */
  has(entry: AuditEntry): Promise<boolean>;
}

/** The narrow store port every adapter (SQLite, MongoDB) implements. */
export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly updates: UpdateLog;
  readonly documents: DocumentCatalogue;
  readonly accounts: AccountsRepository;
  readonly shares: ShareRepository;
  readonly search: SearchIndex;
  readonly adoptions: AdoptionRepository;
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  /** Current health; turns false while commits fail and true again after the next success. */
  health(): StoreHealth;
  /** Appends waiting for the next group commit (a metric). */
  commitQueueLength(): number;
  /** Round-trips to the store (and its writer); rejects if it does not answer in time. */
  ping(timeoutMs?: number): Promise<void>;
  /** Flushes pending writes and releases the store. */
  close(): Promise<void>;
}

/** Options of {@link DocumentChanger.applyServerChange}. */
export interface ServerChangeOptions {
  /**
   * Called once the change waits for the store (queued in commit order: it will be stored when
   * the store takes it); not called for a change that changes nothing or is refused.
   */
  onQueued?: () => void;
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
  applyServerChange(documentId: string, change: (doc: Y.Doc) => void, options?: ServerChangeOptions): Promise<void>;
  /**
   * Reads a document's committed state (loading it if needed, unloading afterwards). `read`
   * must not change the document and must not keep it.
   */
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
}

/**
 * An error a store raises when it cannot answer for now (the database busy or locked past its
 * timeout, a disk full or failing, a connection lost): the request may succeed later. The REST
 * layer answers 503 with `Retry-After` for it, not 500.
 */
export interface StoreUnavailableError extends Error {
  readonly storeUnavailable: true;
}

/**
 * Names of the errors the MongoDB driver and mongoose raise when the database cannot be reached
 * (no server to select, a connection lost, timed out or closed): the MongoDB adapter's
 * counterpart of a {@link StoreUnavailableError}.
 */
const UNREACHABLE_DATABASE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
]);

/** Whether `error` says the store cannot answer for now (see {@link StoreUnavailableError}). */
export function isStoreUnavailable(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  return (error as Partial<StoreUnavailableError>).storeUnavailable === true || UNREACHABLE_DATABASE_ERRORS.has(error.name);
}
