import { CloseCode } from '@samverkan/protocol';
import * as decoding from 'lib0/decoding';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { ServerChangeOptions } from '../store/ports.js';
import { Connection, type ConnectionLimits } from './Connection.js';
import { type ConnectionRequest, type Extension, SyncRefusal } from './Extension.js';
import { HookRunner } from './HookRunner.js';
import { encodeServerInfo } from './messages.js';
import { Room, type RoomOptions, SERVER_ORIGIN } from './Room.js';
import { type UpdateLimits, defaultUpdateLimits } from './boundedUpdate.js';
import { type SyncObserver, silentObserver } from './SyncObserver.js';
import type { SyncSocket } from './SyncSocket.js';
import type { UnsavedDocument } from './unsavedWrites.js';

/** Configuration of the sync core. Every option has a default. */
export interface SyncServerOptions {
  /** Hook implementations, run in this order. */
  extensions: readonly Extension[];
  log: Logger;
  /** Schema version of this build's document models; older clients may not write. */
  schemaVersion: number;
  /** Build identifier announced to clients (message type 101). */
  build: string;
  /** Awareness relay interval (default 50 ms). */
  awarenessBatchMs?: number;
  /** Per-connection limits (handshake buffer, send buffer, message rate). */
  limits?: Partial<ConnectionLimits>;
  /** Caps on structs and deletions per update (default 1,000,000 each). */
  updateLimits?: Partial<UpdateLimits>;
  /** Missing dependencies an update may have and still be accepted (default 0). */
  maxMissingDependencies?: number;
  /** Largest awareness update per message in bytes (default 64 KiB). */
  maxAwarenessBytes?: number;
  /** Most connections one document accepts; more close with 1013 (default 1000). */
  maxConnectionsPerDocument?: number;
  /** A document nobody wrote or read for this long (up to twice as long) is kept encoded (default 30 s). */
  restAfterMs?: number;
  /** Receives counters for metrics (default: none). */
  observer?: SyncObserver;
}

/** What the transport glue drives: feed received messages in, report the close. */
export interface ConnectionHandle {
  readonly connection: Connection;
  receive(message: Uint8Array): void;
  /** The socket closed (either side). */
  closed(): void;
}

const defaultLimits: ConnectionLimits = {
  maxHandshakeMessages: 256,
  maxHandshakeBytes: 16 * 1024 * 1024,
  maxBufferedBytes: 32 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 1000,
};

/**
 * Transport-agnostic sync core: rooms (one per loaded document), connections and the hooks
 * of the extensions. Speaks the y-websocket protocol plus the opt-in additions described in
 * `packages/protocol` (acknowledgements, server announcement).
 */
export class SyncServer {
  private readonly rooms = new Map<string, Room>();
  private readonly hooks: HookRunner;
  private readonly limits: ConnectionLimits;
  private readonly log: Logger;
  private readonly observer: SyncObserver;
  private closing = false;
  private readonly unloading = new Set<Promise<void>>();
  /**
   * Documents whose unload hooks are running, with a promise that settles when they finished: a
   * document opened again meanwhile loads after them (hooks of one document never see a load
   * and an unload overlap; the persistence extension keeps per-document state between them).
   */
  private readonly unloadingIds = new Map<string, Promise<void>>();
  /** Shared by every connection's handle. */
  private readonly linkDeps: LinkDeps;
  /** Shared by every room. */
  private readonly roomOptions: RoomOptions;

  constructor(private readonly options: SyncServerOptions) {
    this.hooks = new HookRunner(options.extensions, options.log);
    this.limits = { ...defaultLimits, ...options.limits };
    this.log = options.log;
    this.observer = options.observer ?? silentObserver;
    this.linkDeps = {
      observer: this.observer,
      log: this.log,
      dispatch: (room, connection, message) => this.dispatch(room, connection, message),
      detach: (room, connection) => this.detach(room, connection),
    };
    this.roomOptions = {
      awarenessBatchMs: options.awarenessBatchMs ?? 50,
      updateLimits: { ...defaultUpdateLimits, ...options.updateLimits },
      maxMissingDependencies: options.maxMissingDependencies ?? 0,
      maxAwarenessBytes: options.maxAwarenessBytes ?? 64 * 1024,
      observer: this.observer,
      restAfterMs: options.restAfterMs ?? 30_000,
    };
  }

  /** Number of documents in memory. */
  get loadedDocuments(): number {
    return this.rooms.size;
  }

  /**
   * Counts the access changes applied so far (see {@link accessChanged}). Enforcement closes
   * joined connections only; a handshake that overlapped a change checks access again before
   * it joins.
   */
  private accessEpoch = 0;

  /**
   * Called for every access change (a share, visibility, group, session or account change),
   * after the store holds it: connections still authenticating or loading check again.
   */
  accessChanged(): void {
    this.accessEpoch++;
  }

  /** Number of open connections over all documents. */
  get connectionCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.connections.size;
    return count;
  }

  /** Writes received and not yet durable and applied, over all documents (shutdown progress). */
  get pendingWrites(): number {
    let pending = 0;
    for (const room of this.rooms.values()) pending += room.pendingWrites;
    return pending;
  }

  /** Per loaded document, the received updates not durable yet (see {@link UnsavedWrites}). */
  unsavedWrites(): UnsavedDocument[] {
    const documents: UnsavedDocument[] = [];
    for (const room of this.rooms.values()) {
      const updates = room.unsavedUpdates();
      if (updates.length > 0) documents.push({ documentId: room.documentId, updates });
    }
    return documents;
  }

  /** Every open connection (for access enforcement). */
  *connections(): Iterable<Connection> {
    for (const room of this.rooms.values()) yield* room.connections;
  }

  /** The loaded room of a document, if it is loaded (diagnostics and tests). */
  roomOf(documentId: string): Room | undefined {
    return this.rooms.get(documentId);
  }

  /** Open connections to one document. */
  connectionsTo(documentId: string): Connection[] {
    return Array.from(this.rooms.get(documentId)?.connections ?? []);
  }

  /** Closes every open connection matching `predicate`; returns how many. */
  closeConnections(predicate: (connection: Connection) => boolean, code: number, reason: string): number {
    let closed = 0;
    for (const connection of Array.from(this.connections())) {
      if (predicate(connection)) {
        connection.close(code, reason);
        closed++;
      }
    }
    return closed;
  }

  /** Whether a document is in memory or still running its unload hooks (tests, metrics). */
  isLoaded(documentId: string): boolean {
    return this.rooms.has(documentId) || this.unloadingIds.has(documentId);
  }

  /**
   * Accepts a socket for a document. Messages that arrive before the handshake (authenticate,
   * load) finished are kept (bounded) and processed after it; nothing is sent before it.
   */
  connect(socket: SyncSocket, request: ConnectionRequest): ConnectionHandle {
    const connection = new Connection(socket, request, this.limits, this.observer);
    const handle = new Link(connection, this.linkDeps);
    if (this.closing) {
      connection.close(CloseCode.goingAway, 'server shutting down');
      return handle;
    }
    this.handshake(connection)
      .then((joined) => {
        handle.room = joined;
        if (connection.isClosed) handle.leave();
      })
      .catch((error: unknown) => {
        if (error instanceof SyncRefusal) {
          connection.close(error.closeCode, error.message);
        } else {
          this.log.error({ err: error, documentId: connection.documentId }, 'connection handshake failed');
          connection.close(CloseCode.internalError, 'internal error');
        }
      });
    return handle;
  }

  /**
   * Edits a document as the server (templates, title changes, adopt, restore, …). The change
   * is made against the committed state, stored, then applied and broadcast like a client's
   * write; the document is loaded for the change if needed and unloaded afterwards.
   */
  applyServerChange(documentId: string, fn: (doc: Y.Doc) => void, options: ServerChangeOptions = {}): Promise<void> {
    return this.withLoadedRoom(documentId, (room) => room.applyServerChange(fn, options.onQueued));
  }

  /**
   * Stores an update as the server's own change (updates an earlier process kept aside):
   * resolves once it is durable, applied and relayed.
   */
  applyServerUpdate(documentId: string, update: Uint8Array): Promise<void> {
    return this.withLoadedRoom(documentId, (room) => room.submitWrite(update, SERVER_ORIGIN));
  }

  /** Reads a document's committed state (loads and unloads it as needed). */
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    return this.withLoadedRoom(documentId, (room) => read(room.doc));
  }

  /** Runs `use` on the document's room, loaded for it if needed and unloaded afterwards if nobody else holds it. */
  private async withLoadedRoom<T>(documentId: string, use: (room: Room) => T | Promise<T>): Promise<T> {
    if (this.closing) throw new Error('server is shutting down');
    const room = this.acquire(documentId);
    try {
      await room.ready;
      return await use(room);
    } finally {
      this.release(room);
    }
  }

  /**
   * Ordered shutdown: refuse new connections, wait until every queued write is durable and
   * applied, close every socket with 1001, unload every document.
   */
  async close(): Promise<{ documents: number; connections: number }> {
    this.closing = true;
    const rooms = Array.from(this.rooms.values());
    let connections = 0;
    await Promise.all(
      rooms.map(async (room) => {
        await room.ready.catch(() => undefined);
        await room.flushed();
        for (const connection of room.connections) {
          connections++;
          connection.close(CloseCode.goingAway, 'server shutting down');
        }
      }),
    );
    await Promise.all(rooms.map((room) => this.unload(room)));
    await Promise.all(Array.from(this.unloading));
    return { documents: rooms.length, connections };
  }

  private async handshake(connection: Connection): Promise<Room | null> {
    const { documentId, request } = connection;
    // The request (headers, query) is needed for authentication only; the connection does not keep it.
    connection.request = null;
    if (!request) throw new Error('handshake without a request');
    let epoch = this.accessEpoch;
    await this.hooks.authenticate({ documentId, request, context: connection.context });
    if (connection.isClosed) return null;
    if (this.closing) throw new SyncRefusal(CloseCode.goingAway, 'server shutting down');
    const room = this.acquire(documentId);
    try {
      await room.ready;
      // Access changed while this connection authenticated or waited for the load: enforcement
      // did not see it (it was not in the room yet), so it authenticates again, from scratch,
      // before it receives a byte of the document.
      for (let attempt = 1; epoch !== this.accessEpoch && !connection.isClosed; attempt++) {
        if (attempt > 3) throw new SyncRefusal(CloseCode.tryAgainLater, 'access is changing; try again');
        epoch = this.accessEpoch;
        Object.assign(connection.context, { readOnly: false, userId: null, sessionIdHash: null, presence: null });
        await this.hooks.authenticate({ documentId, request, context: connection.context });
      }
      // Joining a room that failed or a server that began shutting down meanwhile would leave
      // the connection open where nothing is stored any more.
      if (this.closing) throw new SyncRefusal(CloseCode.goingAway, 'server shutting down');
      if (room.isFailed) throw new SyncRefusal(CloseCode.tryAgainLater, 'store unavailable');
    } catch (error) {
      this.release(room);
      throw error;
    }
    if (connection.isClosed) {
      this.release(room);
      return null;
    }
    if (room.connections.size >= (this.options.maxConnectionsPerDocument ?? 1000)) {
      this.release(room);
      this.observer.rejected('too_many_connections');
      throw new SyncRefusal(CloseCode.tryAgainLater, 'too many connections to this document');
    }
    const outdated = connection.clientSchema !== null && connection.clientSchema < this.options.schemaVersion;
    connection.writable = !connection.context.readOnly && !outdated;
    room.connections.add(connection);
    connection.state = 'open';
    if (connection.clientSchema !== null) {
      connection.send(encodeServerInfo(this.options.schemaVersion, this.options.build, !outdated));
    }
    connection.send(room.syncStep1());
    room.sendPresenceTo(connection);
    const early = connection.inbox.splice(0);
    connection.inboxBytes = 0;
    for (const message of early) {
      if (connection.isClosed) break;
      this.dispatch(room, connection, message);
    }
    return room;
  }

  private dispatch(room: Room, connection: Connection, message: Uint8Array): void {
    try {
      room.handleMessage(connection, message);
    } catch (error) {
      // Truncated or otherwise undecodable message: only this connection is affected.
      const reason = error instanceof Error ? error.message : 'undecodable message';
      this.observer.rejected('undecodable');
      this.log.warn({ documentId: room.documentId, connectionId: connection.id, reason }, 'closing connection: bad message');
      connection.close(CloseCode.protocolError, 'undecodable message');
    }
  }

  private acquire(documentId: string): Room {
    let room = this.rooms.get(documentId);
    if (room?.isFailed) {
      this.rooms.delete(documentId);
      room = undefined;
    }
    if (!room) {
      const created = new Room(documentId, this.hooks, this.log, this.roomOptions);
      const load = (): Promise<void> => this.hooks.load({ documentId, doc: created.doc, encodeState: () => created.encodeState() });
      const unloading = this.unloadingIds.get(documentId);
      created.ready = (unloading ? unloading.then(load) : load())
        // Loaded to be read or kept open: at rest until someone writes.
        .then(() => created.loaded())
        .catch((error: unknown) => {
          if (this.rooms.get(documentId) === created) this.rooms.delete(documentId);
          created.destroy();
          throw error;
        });
      this.rooms.set(documentId, created);
      room = created;
    }
    room.users++;
    return room;
  }

  private release(room: Room): void {
    room.users--;
    if (room.users === 0) {
      const unloading = this.unload(room);
      this.unloading.add(unloading);
      void unloading.finally(() => this.unloading.delete(unloading));
    }
  }

  private detach(room: Room, connection: Connection): void {
    if (!room.connections.delete(connection)) return;
    room.removeAwarenessOf(connection);
    this.release(room);
  }

  /** Unloads after every write is flushed, and only if nobody joined meanwhile. */
  private async unload(room: Room): Promise<void> {
    await room.ready.catch(() => undefined);
    await room.flushed();
    if (room.users > 0 && !this.closing) return;
    if (this.rooms.get(room.documentId) !== room) return;
    this.rooms.delete(room.documentId);
    const hooks = this.hooks.unload({ documentId: room.documentId, doc: () => room.doc });
    const settled = hooks.then(
      () => undefined,
      () => undefined,
    );
    this.unloadingIds.set(room.documentId, settled);
    try {
      await hooks;
    } finally {
      if (this.unloadingIds.get(room.documentId) === settled) this.unloadingIds.delete(room.documentId);
      room.destroy();
    }
  }
}

/** What every {@link Link} of one server shares (one object per server, not closures per connection). */
interface LinkDeps {
  observer: SyncObserver;
  log: Logger;
  dispatch(room: Room, connection: Connection, message: Uint8Array): void;
  detach(room: Room, connection: Connection): void;
}

/**
 * The handle of one connection: feeds its messages to its room once the handshake joined one,
 * keeps them (bounded) before, and leaves the room once when the socket closes.
 */
class Link implements ConnectionHandle {
  room: Room | null = null;
  private left = false;

  constructor(
    readonly connection: Connection,
    private readonly deps: LinkDeps,
  ) {}

  receive(message: Uint8Array): void {
    const { connection, deps } = this;
    if (connection.state === 'closed') return;
    if (!connection.takeToken()) {
      deps.observer.rejected('rate_limited');
      deps.log.warn({ documentId: connection.documentId, connectionId: connection.id }, 'closing connection: message rate');
      connection.close(CloseCode.tryAgainLater, 'message rate limit');
      return;
    }
    if (connection.state === 'handshaking') {
      if (!connection.keepForLater(message)) {
        deps.observer.rejected('handshake_buffer_full');
        connection.close(CloseCode.tryAgainLater, 'too many messages before handshake');
      }
      return;
    }
    if (this.room) deps.dispatch(this.room, connection, message);
  }

  closed(): void {
    if (this.connection.state !== 'closed') this.connection.state = 'closed';
    this.leave();
  }

  /** Leaves the room (once). */
  leave(): void {
    if (this.left) return;
    this.left = true;
    if (this.room) this.deps.detach(this.room, this.connection);
  }
}

/** Reads the type of a message (for logging and tests). */
export function readMessageType(message: Uint8Array): number {
  return decoding.readVarUint(decoding.createDecoder(message));
}
