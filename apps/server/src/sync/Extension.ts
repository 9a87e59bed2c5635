import type * as Y from 'yjs';

/** What the transport knows about a connection when it asks to join a document. */
export interface ConnectionRequest {
  documentId: string;
  /** URL query parameters (`ack`, `schema`, …). */
  params: URLSearchParams;
  /** Request headers of the upgrade (cookies are read by the auth extension; never logged). */
  headers: Record<string, string | string[] | undefined>;
}

/** Who a connection's awareness says it is: set by the server from the session, never by the client. */
export interface PresenceIdentity {
  id: string;
  name: string;
  colour: string;
}

/** Per-connection facts decided during `authenticate`; extensions may narrow them. */
export interface ConnectionContext {
  /** Writes (sync step 2, update) from a read-only connection are dropped. */
  readOnly: boolean;
  /** The authenticated user. */
  userId: string | null;
  /** SHA-256 of the session cookie (to close the sockets of a session that ended). */
  sessionIdHash: string | null;
  /** Written into the `user` field of every awareness state the connection publishes. */
  presence: PresenceIdentity | null;
}

/** Thrown by an `authenticate` hook to refuse a connection with a close code. */
export class SyncRefusal extends Error {
  constructor(
    readonly closeCode: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'SyncRefusal';
  }
}

/** Who made a change: a connection (by its id) or the server itself. */
export type WriteOrigin = { kind: 'connection'; connectionId: number; userId: string | null } | { kind: 'server' };

export interface AuthenticatePayload {
  documentId: string;
  request: ConnectionRequest;
  context: ConnectionContext;
}

export interface LoadPayload {
  documentId: string;
  /** The empty document to fill (the room may later hold it encoded; do not keep it). */
  doc: Y.Doc;
  /** The room's committed state at the time of the call, as one update (for as long as the document is loaded). */
  encodeState: () => Uint8Array;
}

export interface StorePayload {
  documentId: string;
  updates: Uint8Array[];
}

/** What a `store` hook reports back: the seqs the store gave the updates. */
export interface StoreResult {
  seqs: number[];
}

export interface ChangePayload {
  documentId: string;
  /**
   * The room's document now. A room at rest drops it and makes a new one at its next write: a
   * hook that reads it later must read the one of the latest change.
   */
  doc: Y.Doc;
  /** The update as committed (already applied to `doc`). */
  update: Uint8Array;
  origin: WriteOrigin;
  /** Store seq of the update, when the persistence extension reported one. */
  seq: number | undefined;
}

export interface UnloadPayload {
  documentId: string;
  /** The document; an idle room holds it encoded, so it is made only if a hook asks. */
  doc: () => Y.Doc;
}

/**
 * A sync server extension: a set of typed hooks. Extensions are listed in one place
 * (`createSyncServer`) and run in that order.
 *
 * - `authenticate`: before the connection joins; throw {@link SyncRefusal} to refuse.
 * - `load`: fill a new document's state (runs once per load, however many clients join).
 * - `store`: make updates durable; the core relays and acknowledges an update only after
 *   every `store` hook resolved for it.
 * - `change`: after a committed update was applied to the in-memory document.
 * - `unload`: after the last client left and every write was flushed.
 */
export interface Extension {
  readonly name: string;
  authenticate?(payload: AuthenticatePayload): Promise<void>;
  load?(payload: LoadPayload): Promise<void>;
  store?(payload: StorePayload): Promise<StoreResult | void>;
  change?(payload: ChangePayload): void;
  unload?(payload: UnloadPayload): Promise<void>;
}
