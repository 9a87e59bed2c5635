import type { ConnectionContext, ConnectionRequest } from './Extension.js';
import type { SyncObserver } from './SyncObserver.js';
import type { SyncSocket } from './SyncSocket.js';

/** Limits that apply to one connection. */
export interface ConnectionLimits {
  /** Messages kept while the handshake (auth + load) is running (default 256). */
  maxHandshakeMessages: number;
  /** Bytes kept while the handshake is running (default 16 MiB). */
  maxHandshakeBytes: number;
  /** A connection whose send buffer grows past this is closed (default 32 MiB). */
  maxBufferedBytes: number;
  /** Sustained messages per second a client may send (default 200). */
  messagesPerSecond: number;
  /** Messages a client may send in a burst above the sustained rate (default 1000). */
  messageBurst: number;
}

let nextConnectionId = 1;

/** Bytes of updates a connection may hold until its client's sync step 2 (see `awaitingStep2`). */
const EARLY_BYTES = 1024 * 1024;

/**
 * One client connection to one document. Holds what the core needs to know about it: its
 * opt-in protocol additions, whether it may write, the awareness client ids it controls and
 * how many of its writes are durable.
 */
export class Connection {
  readonly id = nextConnectionId++;
  state: 'handshaking' | 'open' | 'closed' = 'handshaking';
  /** Messages received before the handshake finished, processed once it has (bounded). */
  readonly inbox: Uint8Array[] = [];
  inboxBytes = 0;
  /** `?ack=1`: receives acknowledgements (message type 100). */
  readonly wantsAck: boolean;
  /** `?schema=N`: the client's schema version, or null for a standard client. */
  readonly clientSchema: number | null;
  /** Whether this connection's writes are accepted (set after authenticate and schema check). */
  writable = true;
  /** Number of this connection's write messages that are durable (for acknowledgements). */
  committedWrites = 0;
  /**
   * When the client's last accepted change arrived (Date.now(); 0 before the first): use of its
   * session, for the idle time. Awareness does not count: clients renew theirs every 15 s by
   * themselves, also in a tab nobody looks at.
   */
  wroteAt = 0;
  readonly context: ConnectionContext = { readOnly: false, userId: null, sessionIdHash: null, presence: null };
  /** The one awareness client id this connection may publish states for (its first one). */
  awarenessClientId: number | null = null;
  /** Whether the room holds a state of `awarenessClientId` (removed when the connection leaves). */
  holdsPresence = false;
  /**
   * Until the client's first sync step 2 on this connection. A client that reconnects with edits
   * made offline sends them in that step 2 (its answer to the server's step 1), but a standard
   * y-websocket client sends what is typed meanwhile at once, as updates that build on those
   * edits: such updates wait here for the step 2 instead of being refused (bounded; see Room).
   */
  awaitingStep2 = true;
  /** Updates held until the client's step 2 (null when none). */
  private early: Uint8Array[] | null = null;
  private earlyBytes = 0;
  private tokens: number;
  private tokensAt = Date.now();

  /** The document this connection is for. */
  readonly documentId: string;
  /** The upgrade request (headers, query): kept for the handshake only, then dropped. */
  request: ConnectionRequest | null;

  constructor(
    readonly socket: SyncSocket,
    request: ConnectionRequest,
    private readonly limits: ConnectionLimits,
    private readonly observer: SyncObserver,
  ) {
    this.documentId = request.documentId;
    this.request = request;
    this.tokens = limits.messageBurst;
    this.wantsAck = request.params.get('ack') === '1';
    const schema = request.params.get('schema');
    const parsed = schema !== null && /^\d{1,9}$/.test(schema) ? Number(schema) : null;
    this.clientSchema = parsed;
  }

  /** True once closed by either side (state may change across awaits). */
  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Sends unless closed; closes the connection if the client stopped reading. */
  send(message: Uint8Array): void {
    this.sendWithin(message, this.socket.bufferedAmount);
  }

  /**
   * Sends the answer to one of the client's own requests (sync step 1, awareness query). What it
   * was sent in this turn counts too: a burst of requests read in one turn (thousands of step 1
   * frames, each answered with the whole document) cannot queue more than the cap.
   */
  answer(message: Uint8Array): void {
    this.sendWithin(message, this.socket.owedBytes);
  }

  /** Sends unless closed; a client that owes more than the cap stopped reading and is dropped. */
  private sendWithin(message: Uint8Array, owed: number): void {
    if (this.state === 'closed') return;
    if (owed > this.limits.maxBufferedBytes) {
      this.observer.rejected('send_buffer_full');
      this.state = 'closed';
      this.inbox.length = 0;
      this.early = null;
      this.socket.terminate();
      return;
    }
    this.socket.send(message);
  }

  /** Token bucket of the per-connection message rate: false when the client sends too fast. */
  takeToken(): boolean {
    const now = Date.now();
    const refill = ((now - this.tokensAt) / 1000) * this.limits.messagesPerSecond;
    this.tokens = Math.min(this.limits.messageBurst, this.tokens + refill);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Keeps a pre-handshake message; false if the handshake buffer is full. */
  keepForLater(message: Uint8Array): boolean {
    if (this.inbox.length >= this.limits.maxHandshakeMessages) return false;
    if (this.inboxBytes + message.byteLength > this.limits.maxHandshakeBytes) return false;
    this.inbox.push(message);
    this.inboxBytes += message.byteLength;
    return true;
  }

  /**
   * Holds an update until the client's step 2; false when the bounds are reached (what is typed
   * during a reconnect: a few keystrokes, far below 256 messages and 1 MiB).
   */
  holdUntilStep2(update: Uint8Array): boolean {
    if (!this.awaitingStep2) return false;
    if ((this.early?.length ?? 0) >= this.limits.maxHandshakeMessages) return false;
    if (this.earlyBytes + update.byteLength > EARLY_BYTES) return false;
    (this.early ??= []).push(update);
    this.earlyBytes += update.byteLength;
    return true;
  }

  /** The client sent its step 2: returns the updates held until then, in order. */
  receivedStep2(): Uint8Array[] {
    this.awaitingStep2 = false;
    const early = this.early ?? [];
    this.early = null;
    this.earlyBytes = 0;
    return early;
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.inbox.length = 0;
    this.early = null;
    this.socket.close(code, reason);
  }
}
