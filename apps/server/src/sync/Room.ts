import { CloseCode, MessageType, SyncMessageType } from '@samverkan/protocol';
import * as decoding from 'lib0/decoding';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Connection } from './Connection.js';
import type { WriteOrigin } from './Extension.js';
import type { HookRunner } from './HookRunner.js';
import { encodeAck, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './messages.js';
import { Presence } from './Presence.js';
import {
  UpdateRejected,
  type UpdateLimits,
  advanceKnownClocks,
  countMissingDependencies,
  isEmptyUpdate,
  scanUpdate,
} from './boundedUpdate.js';
import type { SyncObserver } from './SyncObserver.js';

/** Origin of changes the server applies to a room's document. */
export const SERVER_ORIGIN = Symbol('samverkan-server');

/**
 * The empty queue every room without queued work shares (frozen: pushing to it would throw).
 * A room replaces it with an array of its own at its first write.
 */
const NONE: never[] = Object.freeze([]) as never[];

/** A settled `ready`, shared by every loaded room. */
const LOADED: Promise<void> = Promise.resolve();

interface PendingWrite {
  update: Uint8Array;
  empty: boolean;
  origin: Connection | typeof SERVER_ORIGIN;
  committed: boolean;
  seq: number | undefined;
  applied: () => void;
  failed: (error: unknown) => void;
}

/** Options of a room. */
export interface RoomOptions {
  /** Awareness changes are relayed in batches at this interval (default 50 ms). */
  awarenessBatchMs: number;
  /** Caps on structs and deletions per update. */
  updateLimits: UpdateLimits;
  /**
   * Missing dependencies an update may have and still be accepted (default 0: legitimate
   * clients only send updates whose dependencies the server already has or is committing).
   */
  maxMissingDependencies: number;
  /** Largest awareness update accepted from one message (bytes). */
  maxAwarenessBytes: number;
  observer: SyncObserver;
  /**
   * A room whose document nobody wrote or read for between this long and twice this long
   * keeps it encoded and drops the Y.Doc (default 30 s; see {@link Room.doc}).
   */
  restAfterMs: number;
}

/**
 * One loaded document: its committed state, awareness, connections and the ordered queue of
 * writes waiting to become durable.
 *
 * Durability before relay: a write is applied to the document, relayed and acknowledged only
 * after every `store` hook resolved for it, and strictly in arrival order.
 *
 * At rest: most open documents are idle (kept open in a tab, nobody typing). An idle room holds
 * its committed state as one encoded update and its state vector (a few hundred bytes for a
 * small document, where a Y.Doc holding the same takes over 4 KiB of heap) and answers sync
 * from them; the Y.Doc is made again from the encoded state by the first write or read.
 */
export class Room {
  /** The document while the room is in use; null at rest (then `rested` holds the state). */
  private liveDoc: Y.Doc | null = null;
  /**
   * The committed state at rest (null while `liveDoc` holds it): one update followed by its
   * state vector, in one buffer (one typed array and one ArrayBuffer per idle room, not two).
   */
  private rested: Uint8Array | null = null;
  /** Length of the update at the start of `rested`. */
  private restedUpdateBytes = 0;
  /** Whether the document was used since the rest timer last looked. */
  private used = false;
  /**
   * Until the load hooks finished: the room never rests meanwhile (the hooks fill the Y.Doc they
   * were given, however long the store takes).
   */
  private loading = true;
  /** After `destroy`: the state is gone, and asking for it is an error, never an empty document. */
  private destroyed = false;
  private restTimer: NodeJS.Timeout | null = null;
  private restTask: (() => void) | null = null;
  /**
   * Presence, created when the first awareness message arrives: a document only read or kept
   * open carries none (no map, no timer).
   */
  private presence: Presence | null = null;
  readonly connections = new Set<Connection>();
  /** Connections joining or joined plus running server changes; the room unloads at 0. */
  users = 0;
  /** Resolves when the document is loaded. */
  ready: Promise<void> = LOADED;
  private writes: PendingWrite[] = NONE;
  /** Writes queued in this turn of the event loop, handed to the store hooks together. */
  private unstored: PendingWrite[] = NONE;
  private flushWaiters: (() => void)[] = NONE;
  /** Client ids whose state changed since the last awareness batch (created at the first change). */
  private awarenessChanged: Set<number> | null = null;
  private awarenessTimer: NodeJS.Timeout | null = null;
  /** When awareness was last relayed (performance.now()). */
  private awarenessFlushedAt = Number.NEGATIVE_INFINITY;
  /** When a document update was last relayed (performance.now()). */
  private relayedAt = Number.NEGATIVE_INFINITY;
  /** The last server change queued (null until the first): server changes run one after another. */
  private serverChanges: Promise<unknown> | null = null;
  /**
   * Callbacks handed to queueMicrotask and setTimeout, made on first use: a room kept open
   * without writes or presence (most of them) carries no closures of its own.
   */
  private storeTask: (() => void) | null = null;
  private flushTask: (() => void) | null = null;
  private failed = false;
  private known: Map<number, number> | null = null;

  constructor(
    readonly documentId: string,
    private readonly hooks: HookRunner,
    private readonly log: Logger,
    private readonly options: RoomOptions,
  ) {
    // No `update` listener on the document: committed writes are relayed as they were received
    // (see drain), so yjs never re-encodes a transaction (which, for text typed at the end of a
    // long item, flattens the item's whole string on every keystroke).
  }

  /**
   * The document (committed state only). At rest the room holds it encoded: this makes the
   * Y.Doc again, and the room goes back to rest once nobody wrote or read it for
   * `restAfterMs`.
   */
  get doc(): Y.Doc {
    this.used = true;
    if (this.liveDoc) return this.liveDoc;
    if (this.destroyed) throw new Error('the room was unloaded');
    // A guid of its own: without one Yjs makes a random UUID one character at a time (about 70 µs
    // of crypto calls, more than the rest of a small document's wake), and the server has no use
    // for it (it is not part of the sync protocol; only subdocuments are told apart by it).
    const doc = new Y.Doc({ gc: true, guid: this.documentId });
    const update = this.restedUpdate;
    if (update) Y.applyUpdate(doc, update);
    this.liveDoc = doc;
    this.rested = null;
    this.scheduleRest();
    return doc;
  }

  private get restedUpdate(): Uint8Array | null {
    return this.rested && this.rested.subarray(0, this.restedUpdateBytes);
  }

  /** The committed state as one update, without making the Y.Doc at rest. */
  encodeState(): Uint8Array {
    if (this.destroyed) throw new Error('the room was unloaded');
    if (this.liveDoc) return Y.encodeStateAsUpdate(this.liveDoc);
    return this.restedUpdate ?? Y.encodeStateAsUpdate(this.doc);
  }

  /** The server's sync step 1 (its state vector), without making the Y.Doc at rest. */
  syncStep1(): Uint8Array {
    if (this.liveDoc || !this.rested) return encodeSyncStep1(Y.encodeStateVector(this.doc));
    return encodeSyncStep1(this.rested.subarray(this.restedUpdateBytes));
  }

  /**
   * The sync step 2 answering a client's state vector. At rest: the encoded state itself for a
   * client that has nothing (no work at all), else its difference to the client's state.
   */
  syncStep2(stateVector: Uint8Array): Uint8Array {
    const update = this.liveDoc ? null : this.restedUpdate;
    if (!update) return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
    const clientHasNothing = stateVector.byteLength === 0 || (stateVector.byteLength === 1 && stateVector[0] === 0);
    return encodeSyncStep2(clientHasNothing ? update : Y.diffUpdate(update, stateVector));
  }

  /**
   * Puts the room at rest now if no write is queued (after a load: a document opened to be read
   * never makes its Y.Doc again).
   */
  rest(): void {
    if (!this.liveDoc || this.busy || this.failed) return;
    const doc = this.liveDoc;
    const update = Y.encodeStateAsUpdate(doc);
    const vector = Y.encodeStateVector(doc);
    this.rested = new Uint8Array(update.byteLength + vector.byteLength);
    this.rested.set(update);
    this.rested.set(vector, update.byteLength);
    this.restedUpdateBytes = update.byteLength;
    this.liveDoc = null;
    // Every queued write was applied, so the known clocks are the state vector's: made again on the next write.
    this.known = null;
    this.writes = NONE;
    this.unstored = NONE;
    this.flushWaiters = NONE;
    if (this.restTimer) clearTimeout(this.restTimer);
    this.restTimer = null;
  }

  /** The load hooks finished: the room goes to rest and its `ready` is the settled one every room shares. */
  loaded(): void {
    this.loading = false;
    this.rest();
    this.ready = LOADED;
  }

  /** Whether the room holds its document encoded (at rest). */
  get atRest(): boolean {
    return this.liveDoc === null;
  }

  /** Loading, or holding writes not yet applied: the room needs its Y.Doc. */
  private get busy(): boolean {
    return this.loading || this.writes.length > 0 || this.unstored.length > 0;
  }

  private scheduleRest(): void {
    if (this.restTimer) return;
    this.used = false;
    this.restTimer = setTimeout((this.restTask ??= () => this.restIfUnused()), this.options.restAfterMs);
    this.restTimer.unref();
  }

  private restIfUnused(): void {
    this.restTimer = null;
    if (!this.liveDoc) return;
    if (this.used || this.busy) {
      this.scheduleRest();
      return;
    }
    this.rest();
  }

  /** The room's presence (created on first use). */
  private get awareness(): Presence {
    this.presence ??= new Presence((clientIds) => this.presenceExpired(clientIds));
    return this.presence;
  }

  /** Whether anyone in the room has published presence yet (the awareness exists). */
  get hasPresence(): boolean {
    return this.presence !== null;
  }

  /** Sends `connection` every awareness state the room has (nothing, and no awareness created, if none). */
  sendPresenceTo(connection: Connection): void {
    if (!this.presence || this.presence.size === 0) return;
    // An answer (at the join, or to the client's query): counted as the client's own request.
    connection.answer(encodeAwareness(this.presence.encodeUpdate(this.presence.clientIds())));
  }

  /** True after the store rejected a write; the room takes no more writes and is replaced. */
  get isFailed(): boolean {
    return this.failed;
  }

  /** Number of writes not yet applied. */
  get pendingWrites(): number {
    return this.writes.length;
  }

  /** The received updates not durable yet, in order (kept aside when the process must stop without them). */
  unsavedUpdates(): Uint8Array[] {
    const updates: Uint8Array[] = [];
    for (const write of this.writes) if (!write.committed) updates.push(write.update);
    return updates;
  }

  /** Resolves once every write submitted so far is durable and applied. */
  flushed(): Promise<void> {
    if (this.writes.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.flushWaiters === NONE) this.flushWaiters = [];
      this.flushWaiters.push(resolve);
    });
  }

  /** Handles one binary message of a connection that finished its handshake. */
  handleMessage(connection: Connection, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const messageType = decoding.readVarUint(decoder);
    switch (messageType) {
      case MessageType.sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SyncMessageType.step1) {
          connection.answer(this.syncStep2(payload));
        } else if (syncType === SyncMessageType.step2 || syncType === SyncMessageType.update) {
          if (!connection.writable) return; // read-only or outdated schema: dropped, never stored
          if (syncType === SyncMessageType.update && connection.awaitingStep2) {
            this.submitWrite(payload, connection, true).catch(() => undefined);
            return;
          }
          this.submitWrite(payload, connection).catch(() => undefined);
          // Updates that waited for this step 2 (they build on what it carries) go in after it, in order.
          if (syncType === SyncMessageType.step2 && connection.awaitingStep2) {
            for (const early of connection.receivedStep2()) {
              if (connection.isClosed) break;
              this.submitWrite(early, connection).catch(() => undefined);
            }
          }
        } else {
          this.options.observer.rejected('unknown_message_type');
          connection.close(CloseCode.unsupportedData, 'unknown sync message type');
        }
        return;
      }
      case MessageType.awareness: {
        const update = decoding.readVarUint8Array(decoder);
        if (update.byteLength > this.options.maxAwarenessBytes) {
          this.options.observer.rejected('awareness_too_large');
          connection.close(CloseCode.messageTooBig, 'awareness state too large');
          return;
        }
        this.applyOwnAwareness(connection, update);
        return;
      }
      case MessageType.queryAwareness:
        this.sendPresenceTo(connection);
        return;
      case MessageType.auth:
        return; // only the server sends auth messages; ignore
      default:
        this.options.observer.rejected('unknown_message_type');
        connection.close(CloseCode.unsupportedData, 'unknown message type');
    }
  }

  /**
   * Queues a write. Resolves once it is durable, applied to the document and relayed.
   * Rejects if the update is malformed (nothing is stored then). With `beforeStep2`, an update
   * whose dependencies are missing is held by its connection until the client's sync step 2
   * (see {@link Connection.awaitingStep2}) and resolves at once; it is refused only when the
   * connection holds too much already. `onQueued` is called once the write waits for the store
   * (not for a write that changes nothing or is refused).
   */
  submitWrite(update: Uint8Array, origin: Connection | typeof SERVER_ORIGIN, beforeStep2 = false, onQueued?: () => void): Promise<void> {
    let empty: boolean;
    try {
      const summary = scanUpdate(update, this.options.updateLimits);
      empty = isEmptyUpdate(summary);
      if (!empty) {
        const known = this.knownClocks();
        if (countMissingDependencies(summary, known) > this.options.maxMissingDependencies) {
          if (beforeStep2 && origin !== SERVER_ORIGIN && origin.holdUntilStep2(update)) return Promise.resolve();
          throw new UpdateRejected('missing_dependencies');
        }
        advanceKnownClocks(summary, known);
      }
    } catch (error) {
      const reason = error instanceof UpdateRejected ? error.reason : 'malformed';
      this.options.observer.rejected(reason);
      if (origin !== SERVER_ORIGIN) {
        this.log.warn({ documentId: this.documentId, connectionId: origin.id, reason }, 'closing connection: update rejected');
        origin.close(CloseCode.unsupportedData, `update rejected: ${reason}`);
      }
      return Promise.reject(error instanceof Error ? error : new Error(reason));
    }
    if (this.failed) return Promise.reject(new Error('room failed'));
    if (origin !== SERVER_ORIGIN) {
      this.options.observer.updateReceived();
      // An accepted change is use of the session (an empty step 2 at every reconnect is not).
      if (!empty) origin.wroteAt = Date.now();
    }
    return new Promise<void>((applied, failed) => {
      const write: PendingWrite = {
        update,
        empty,
        origin,
        committed: empty,
        seq: undefined,
        applied,
        failed,
      };
      if (this.writes === NONE) this.writes = [];
      this.writes.push(write);
      if (write.empty) {
        this.drain();
        return;
      }
      // Writes that arrive in one turn (several frames from one socket read) go to the store
      // hooks as one call: one append, one promise chain. No waiting window: the microtask runs
      // before the event loop moves on.
      if (this.unstored === NONE) this.unstored = [];
      this.unstored.push(write);
      if (this.unstored.length === 1) queueMicrotask((this.storeTask ??= () => this.storeUnstored()));
      onQueued?.();
    });
  }

  private storeUnstored(): void {
    const batch = this.unstored;
    this.unstored = NONE;
    if (batch.length === 0 || this.failed) return;
    const started = performance.now();
    this.hooks
      .store({ documentId: this.documentId, updates: batch.map((write) => write.update) })
      .then((seqs) => {
        const seconds = (performance.now() - started) / 1000;
        batch.forEach((write, index) => {
          this.options.observer.committed(seconds);
          write.committed = true;
          write.seq = seqs?.[index];
        });
        this.drain();
      })
      .catch((error: unknown) => this.fail(error));
  }

  /** Clock per client the document will have once every queued write is applied. */
  private knownClocks(): Map<number, number> {
    this.known ??= Y.decodeStateVector(Y.encodeStateVector(this.doc));
    return this.known;
  }

  /**
   * Runs `fn` against the committed state and submits the resulting change like a client's
   * write. Server changes of one room run one after another. `onQueued`: see {@link submitWrite}.
   */
  applyServerChange(fn: (doc: Y.Doc) => void, onQueued?: () => void): Promise<void> {
    const run = async (): Promise<void> => {
      const scratch = new Y.Doc({ gc: false, guid: this.documentId });
      Y.applyUpdate(scratch, this.encodeState());
      const updates: Uint8Array[] = [];
      scratch.on('update', (update: Uint8Array) => updates.push(update));
      try {
        scratch.transact(() => fn(scratch), SERVER_ORIGIN);
      } finally {
        scratch.destroy();
      }
      if (updates.length === 0) return;
      await this.submitWrite(updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates), SERVER_ORIGIN, false, onQueued);
    };
    const result = this.serverChanges ? this.serverChanges.then(run, run) : run();
    this.serverChanges = result.catch(() => undefined);
    return result;
  }

  /**
   * Presence that cannot be spoofed: a connection may publish states only for its own client
   * id (the first one it uses that no other connection holds), and the server writes the
   * session's identity into each state's `user` field, whatever the client claimed. Every state
   * must be JSON; the others in the message are applied by y-protocols' rules (see Presence).
   */
  private applyOwnAwareness(connection: Connection, update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    // The whole message is read and checked before any of it is applied.
    const kept: { clientId: number; clock: number; json: string | null }[] = [];
    for (let index = 0; index < count; index++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const stateJson = decoding.readVarString(decoder);
      if (connection.awarenessClientId === null) {
        const taken = [...this.connections].some((other) => other !== connection && other.awarenessClientId === clientId);
        if (taken) continue;
        connection.awarenessClientId = clientId;
      }
      if (clientId !== connection.awarenessClientId) continue;
      let state = JSON.parse(stateJson) as unknown;
      const presence = connection.context.presence;
      if (state !== null && presence) {
        const fields = typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
        state = { ...fields, user: { id: presence.id, name: presence.name, color: presence.colour } };
      }
      kept.push({ clientId, clock, json: state === null ? null : JSON.stringify(state) });
    }
    const changed: number[] = [];
    for (const { clientId, clock, json } of kept) {
      const outcome = this.awareness.set(clientId, clock, json);
      if (outcome === null) continue;
      connection.holdsPresence = outcome !== 'removed';
      changed.push(clientId);
    }
    this.presenceChanged(changed);
  }

  /** Stops relaying; used when the room unloads. */
  destroy(): void {
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.awarenessTimer = null;
    this.presence?.destroy();
    this.presence = null;
    if (this.restTimer) clearTimeout(this.restTimer);
    this.restTimer = null;
    this.destroyed = true;
    this.rested = null;
    this.liveDoc?.destroy();
    this.liveDoc = null;
  }

  /** Removes a connection's awareness states (it left). */
  removeAwarenessOf(connection: Connection): void {
    if (!connection.holdsPresence || connection.awarenessClientId === null || !this.presence) return;
    connection.holdsPresence = false;
    this.presenceChanged(this.presence.remove([connection.awarenessClientId]));
  }

  private drain(): void {
    const acknowledge = new Set<Connection>();
    let ready = 0;
    while (ready < this.writes.length && (this.writes[ready] as PendingWrite).committed) ready++;
    if (ready === 0) return;
    const done = this.writes.splice(0, ready);
    // Every write that became durable is applied in one transaction: yjs cleans up and emits
    // its events once per drain, not once per update. Empty writes (a client's answer to sync
    // step 1 when it has nothing new) leave a room at rest.
    if (done.some((write) => !write.empty)) {
      const doc = this.doc;
      doc.transact(() => {
        for (const write of done) {
          if (write.empty) continue;
          try {
            Y.applyUpdate(doc, write.update, write.origin);
          } catch (error) {
            this.log.error({ err: error, documentId: this.documentId }, 'applying a committed update failed');
          }
        }
      }, SERVER_ORIGIN);
    }
    for (const write of done) {
      if (!write.empty) {
        const origin: WriteOrigin =
          write.origin === SERVER_ORIGIN
            ? { kind: 'server' }
            : { kind: 'connection', connectionId: write.origin.id, userId: write.origin.context.userId };
        try {
          this.relay(write.update, write.origin);
          this.hooks.change({
            documentId: this.documentId,
            doc: this.doc,
            update: write.update,
            origin,
            seq: write.seq,
          });
        } catch (error) {
          this.log.error({ err: error, documentId: this.documentId }, 'relaying a committed update failed');
        }
      }
      if (write.origin !== SERVER_ORIGIN) {
        write.origin.committedWrites++;
        if (write.origin.wantsAck) acknowledge.add(write.origin);
      }
      write.applied();
    }
    // One acknowledgement per connection per drain, carrying its latest count.
    for (const connection of acknowledge) {
      if (connection.state === 'open') connection.send(encodeAck(connection.committedWrites));
    }
    if (this.writes.length === 0 && this.flushWaiters.length > 0) {
      const waiters = this.flushWaiters;
      this.flushWaiters = NONE;
      waiters.forEach((resolve) => resolve());
    }
  }

  /**
   * A store hook rejected (the store adapters retry transient errors themselves, so this means
   * the store is closed or broken). Nothing uncommitted was relayed; the clients still hold
   * their changes and send them again when they reconnect.
   */
  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.log.error({ err: error, documentId: this.documentId }, 'store rejected a write; closing the document');
    for (const write of this.writes) write.failed(error);
    this.writes = NONE;
    this.unstored = NONE;
    for (const connection of this.connections) connection.close(CloseCode.tryAgainLater, 'store unavailable');
    const waiters = this.flushWaiters;
    this.flushWaiters = NONE;
    waiters.forEach((resolve) => resolve());
  }

  /**
   * Sends a committed update, exactly as it was received and scanned, to every other open
   * connection: encoded once, the same frame for all. Its dependencies were checked before it
   * was stored and writes are relayed in commit order, so every receiver can integrate it.
   */
  private relay(update: Uint8Array, origin: Connection | typeof SERVER_ORIGIN): void {
    if (this.connections.size === 0 || (this.connections.size === 1 && this.connections.has(origin as Connection))) return;
    const message = encodeSyncUpdate(update);
    let relayed = 0;
    for (const connection of this.connections) {
      if (connection !== origin && connection.state === 'open') {
        connection.send(message);
        relayed++;
      }
    }
    this.options.observer.updateRelayed(relayed);
    this.relayedAt = performance.now();
    // Awareness changes waiting for their batch ride along when a full batch interval has passed
    // since the last one: the same write to each socket (see the transport), and still at most
    // one awareness message per interval.
    if (this.awarenessTimer && this.relayedAt - this.awarenessFlushedAt >= this.options.awarenessBatchMs) {
      clearTimeout(this.awarenessTimer);
      this.flushAwareness();
    }
  }

  /** States that were not renewed in time are gone: the others hear of it with the next batch. */
  private presenceExpired(clientIds: number[]): void {
    for (const connection of this.connections) {
      if (connection.awarenessClientId !== null && clientIds.includes(connection.awarenessClientId)) connection.holdsPresence = false;
    }
    this.presenceChanged(clientIds);
  }

  /** Queues the states of `clientIds` for the next awareness batch (and schedules it). */
  private presenceChanged(clientIds: readonly number[]): void {
    if (clientIds.length === 0) return;
    this.awarenessChanged ??= new Set();
    for (const clientId of clientIds) this.awarenessChanged.add(clientId);
    if (!this.awarenessTimer) {
      // While someone is writing, presence waits up to two intervals for an update to ride
      // along with (one socket write carries both: half the system calls of a busy meeting);
      // in a room where nobody writes it goes out after one interval.
      const batch = this.options.awarenessBatchMs;
      const writing = performance.now() - this.relayedAt < 4 * batch;
      this.awarenessTimer = setTimeout((this.flushTask ??= () => this.flushAwareness()), writing ? 2 * batch : batch);
    }
  }

  private flushAwareness(): void {
    this.awarenessTimer = null;
    this.awarenessFlushedAt = performance.now();
    if (!this.awarenessChanged) return;
    const clientIds = Array.from(this.awarenessChanged);
    this.awarenessChanged.clear();
    if (clientIds.length === 0 || this.connections.size === 0) return;
    const message = encodeAwareness(this.awareness.encodeUpdate(clientIds));
    for (const connection of this.connections) {
      if (connection.state === 'open') connection.send(message);
    }
  }
}
