import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@samverkan/protocol';
import type { Logger } from 'pino';
import { type SyncObserver, silentObserver } from './SyncObserver.js';
import type { ConnectionHandle, SyncServer } from './SyncServer.js';
import type { SyncSocket } from './SyncSocket.js';
import { FrameReader, Opcode, binaryFrame, closeFrame, controlFrame, handshakeResponse, refuseUpgrade } from './wsFrames.js';

/** Options of the WebSocket glue. */
export interface WsTransportOptions {
  /** Largest accepted frame in bytes (default 16 MiB); larger frames close with 1009. */
  maxFrameBytes: number;
  log: Logger;
  observer?: SyncObserver;
  /**
   * How long a closing connection may take to finish (the client's close frame and its end of
   * the TCP connection) before its socket is destroyed (default 30 s, as `ws`).
   */
  closeTimeoutMs?: number;
}

/** What one socket holds for the end of the turn (a connection implements it). */
export interface HeldFrames {
  readonly raw: Duplex;
  /** The frames held, in the order they were sent: none, one, or several. */
  held: Buffer | Buffer[] | null;
  /** Their length in bytes. */
  heldBytes: number;
}

/** Frames of a turn up to this many bytes in all are joined into one buffer; larger ones go out in one writev. */
const MAX_JOINED_BYTES = 64 * 1024;

/**
 * Coalesces what the server sends to one socket within one turn of the event loop into one
 * write: frames are held by their connection from its first send of the turn and written out
 * once, after the I/O callbacks of the turn (setImmediate), as one buffer. A relayed update, the
 * awareness batch flushed with it and an acknowledgement then cost one system call instead of
 * three. The connections of a room are sent the same frames in a turn, so the joined buffer is
 * made once and written to each of them. Nothing waits longer than the rest of the current turn.
 */
export class SendCoalescer {
  private holders: HeldFrames[] = [];
  private scheduled = false;
  /** The frames joined last, and the buffer made of them (reused while the next socket holds the same frames). */
  private joinedParts: Buffer[] | null = null;
  private joined: Buffer | null = null;
  /** The message framed last in this turn, and its frame (reused while the next socket is sent the same message). */
  private framedMessage: Uint8Array | null = null;
  private framed: Buffer | null = null;

  /**
   * The binary frame of `message`. A relay sends the same message object to every connection
   * of a room one after another, so the frame is built once and written N times; like the
   * joined buffer it is forgotten at the end of the turn.
   */
  frameOf(message: Uint8Array): Buffer {
    if (message !== this.framedMessage || this.framed === null) {
      this.framed = binaryFrame(message);
      this.framedMessage = message;
    }
    return this.framed;
  }

  /** Holds `frame` for `holder`'s socket until the end of this turn. */
  hold(holder: HeldFrames, frame: Buffer): void {
    const held = holder.held;
    if (held === null) {
      holder.held = frame;
      this.holders.push(holder);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.release);
      }
    } else if (Array.isArray(held)) {
      held.push(frame);
    } else {
      holder.held = [held, frame];
    }
    holder.heldBytes += frame.byteLength;
  }

  /**
   * Writes out what `holder` holds now (a control frame written directly, or the end of the
   * socket, must come after it). Never throws: a socket that cannot take the write is destroyed.
   */
  flush(holder: HeldFrames): void {
    const held = holder.held;
    if (held === null) return;
    const bytes = holder.heldBytes;
    holder.held = null;
    holder.heldBytes = 0;
    const raw = holder.raw;
    if (raw.destroyed || !raw.writable) return;
    try {
      if (!Array.isArray(held)) {
        raw.write(held);
      } else if (bytes <= MAX_JOINED_BYTES) {
        raw.write(this.join(held));
      } else {
        // Large frames (a whole document's step 2) are not copied to be joined: one writev.
        raw.cork();
        for (const frame of held) raw.write(frame);
        raw.uncork();
      }
    } catch (error) {
      raw.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private join(parts: Buffer[]): Buffer {
    const last = this.joinedParts;
    if (this.joined !== null && last !== null && last.length === parts.length && last.every((part, index) => part === parts[index])) return this.joined;
    this.joinedParts = parts;
    this.joined = Buffer.concat(parts);
    return this.joined;
  }

  private readonly release = (): void => {
    this.scheduled = false;
    const holders = this.holders;
    this.holders = [];
    for (const holder of holders) this.flush(holder);
    this.joinedParts = null;
    this.joined = null;
    this.framedMessage = null;
    this.framed = null;
  };
}

/** Default of {@link WsTransportOptions.closeTimeoutMs}. */
const CLOSE_TIMEOUT_MS = 30_000;
/** Unsent pongs a client may let pile up (it pings and does not read) before it is dropped. */
const MAX_PONG_BACKLOG = 1024 * 1024;

/** What every connection of a transport shares (one object, not a field each). */
interface Shared {
  coalescer: SendCoalescer;
  log: Logger;
  observer: SyncObserver;
  closeTimeoutMs: number;
}

/**
 * One WebSocket connection on its TCP socket: reads client frames (as a {@link FrameReader})
 * and adapts the socket to the core's {@link SyncSocket}. Binary messages are framed once per
 * turn and held for the turn's one write (see {@link SendCoalescer}); control frames (pong,
 * close) and the end of the socket first write what is held, so everything leaves in call
 * order. One object per connection, with no closures of its own: the socket's listeners are
 * shared by the transport.
 */
class WsConnection extends FrameReader implements SyncSocket, HeldFrames {
  handle: ConnectionHandle | null = null;
  // Frames sent in this turn, held for one write at its end (see SendCoalescer). They are not in
  // the socket yet, so its `writableLength` is the client's backlog alone: what is held does
  // not count against the send-buffer cap for what others send (a relay larger than the cap
  // still goes to a client that reads), and counts for `owedBytes` (answers to its own requests).
  held: Buffer | Buffer[] | null = null;
  heldBytes = 0;
  /** Set once this side sent its close frame: nothing more is sent. */
  private closeSent = false;
  /** Destroys the socket if the connection has not finished closing in time (see finishWithin). */
  private closeTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly raw: Duplex,
    private readonly shared: Shared,
    maxMessageBytes: number,
  ) {
    super(maxMessageBytes);
  }

  send(message: Uint8Array): void {
    const raw = this.raw;
    if (this.closeSent || raw.destroyed || !raw.writable) return;
    const coalescer = this.shared.coalescer;
    coalescer.hold(this, coalescer.frameOf(message));
  }

  /** Writes a control frame now, after what this turn holds for the socket (order holds). */
  private writeNow(frame: Buffer): void {
    this.shared.coalescer.flush(this);
    this.raw.write(frame);
  }

  /**
   * Sends a close frame, then waits for the client's (which ends the socket); see {@link finishWithin}.
   */
  close(code: number, reason: string): void {
    const raw = this.raw;
    if (this.closeSent || raw.destroyed) return;
    this.closeSent = true;
    if (!raw.writable) {
      raw.destroy();
      return;
    }
    this.writeNow(closeFrame(code, reason));
    // Once the client closed (or broke the protocol) there is nothing more to wait for.
    if (this.readStopped) raw.end();
    this.finishWithin();
  }

  /**
   * Whatever way a connection closes, its socket is destroyed if it is still open after the
   * close timeout: a client that never sends its close frame, its FIN (the server's sockets are
   * half-open) or never reads what is queued would otherwise hold the socket, its connection
   * and its room forever. Cleared when the socket closes.
   */
  finishWithin(): void {
    if (this.closeTimer !== null) return;
    const raw = this.raw;
    this.closeTimer = setTimeout(() => raw.destroy(), this.shared.closeTimeoutMs);
    this.closeTimer.unref();
  }

  terminate(): void {
    this.raw.destroy();
  }

  /** The socket closed: the core learns of it, and nothing waits any more. */
  socketClosed(): void {
    if (this.closeTimer !== null) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    this.handle?.closed();
  }

  get bufferedAmount(): number {
    return this.raw.writableLength;
  }

  get owedBytes(): number {
    return this.raw.writableLength + this.heldBytes;
  }

  protected onMessage(message: Buffer): void {
    this.handle?.receive(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
  }

  protected onText(): void {
    const connection = this.handle?.connection;
    this.shared.observer.rejected('text_frame');
    this.shared.log.warn({ documentId: connection?.documentId, connectionId: connection?.id }, 'closing connection: text frame');
    this.closeConnection(CloseCode.unsupportedData, 'text frames are not accepted');
  }

  protected onPing(payload: Buffer): void {
    const raw = this.raw;
    if (this.closeSent || raw.destroyed || !raw.writable) return;
    if (raw.writableLength > MAX_PONG_BACKLOG) {
      // Pings are not messages (no rate limit): a client that sends them and reads nothing is dropped.
      this.shared.observer.rejected('send_buffer_full');
      raw.destroy();
      return;
    }
    this.writeNow(controlFrame(Opcode.pong, payload));
  }

  protected onPeerClose(code: number | null): void {
    const raw = this.raw;
    if (!this.closeSent && !raw.destroyed && raw.writable) {
      // Echo the client's code (§5.5.1); the core learns of the close when the socket closes.
      this.closeSent = true;
      this.writeNow(closeFrame(code));
    }
    raw.end();
    this.finishWithin();
  }

  protected onFail(code: number, reason: string): void {
    const connection = this.handle?.connection;
    this.shared.observer.rejected(code === CloseCode.messageTooBig ? 'frame_too_large' : 'protocol_error');
    // The reason names the rule broken, never content.
    this.shared.log.warn({ documentId: connection?.documentId, connectionId: connection?.id, reason, code }, 'closing connection: websocket error');
    this.closeConnection(code, reason);
  }

  /** Closes through the core's connection (which marks it closed there), or the socket alone. */
  private closeConnection(code: number, reason: string): void {
    const connection = this.handle?.connection;
    if (connection) connection.close(code, reason);
    else this.close(code, reason);
  }
}

/** A socket error (reset, …): Node destroys the socket and `close` follows; nothing to add. */
function onError(): void {}

/**
 * The `/yjs/:documentId` endpoint: completes the WebSocket handshake on the upgraded socket
 * (RFC 6455, {@link handshakeResponse}), then feeds binary messages into the sync core. Text
 * frames close the connection (1003), protocol errors with 1002/1007, oversized messages with
 * 1009; errors never escape the socket.
 */
export class WsTransport {
  private readonly shared: Shared;
  /** The connection on each open socket (read by the listeners; terminated on close). */
  private readonly connections = new Map<Duplex, WsConnection>();
  /** Socket listeners, one set per transport, called with the socket as `this`. */
  private readonly onData: (this: Duplex, chunk: Buffer) => void;
  private readonly onEnd: (this: Duplex) => void;
  private readonly onClose: (this: Duplex) => void;

  constructor(
    private readonly sync: SyncServer,
    private readonly options: WsTransportOptions,
  ) {
    this.shared = {
      coalescer: new SendCoalescer(),
      log: options.log,
      observer: options.observer ?? silentObserver,
      closeTimeoutMs: options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS,
    };
    const connections = this.connections;
    this.onData = function (chunk) {
      connections.get(this)?.read(chunk);
    };
    // The client ended its side without a close frame: end ours (the server's sockets are half-open).
    const coalescer = this.shared.coalescer;
    this.onEnd = function () {
      const connection = connections.get(this);
      // What was sent to it in this turn still goes out: the client may read after its FIN.
      if (connection) coalescer.flush(connection);
      this.end();
      connection?.finishWithin();
    };
    this.onClose = function () {
      const connection = connections.get(this);
      connections.delete(this);
      connection?.socketClosed();
    };
  }

  /** Completes an upgrade already checked by the upgrade router (path, origin). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, documentId: string, params: URLSearchParams): void {
    const answer = handshakeResponse(request);
    if ('refusal' in answer) {
      refuseUpgrade(socket, answer.refusal);
      return;
    }
    if (!socket.readable || !socket.writable) {
      socket.destroy();
      return;
    }
    const tcp = socket as Partial<Socket>;
    tcp.setTimeout?.(0);
    tcp.setNoDelay?.(true);
    const connection = new WsConnection(socket, this.shared, this.options.maxFrameBytes);
    // The 101 response is held like a frame: it leaves at the end of this turn together with
    // what the core sends the connection meanwhile (when authentication and the room are ready
    // in the same turn: server info, sync step 1 and presence), one write instead of two.
    this.shared.coalescer.hold(connection, Buffer.from(answer.response));
    this.connections.set(socket, connection);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    // The upgrade router listens for errors already; a second listener would only cost an array.
    if (socket.listenerCount('error') === 0) socket.on('error', onError);
    socket.on('close', this.onClose);
    // The request is not kept: the core reads what it needs during the handshake.
    connection.handle = this.sync.connect(connection, { documentId, params, headers: request.headers });
    if (head.length > 0) connection.read(head);
    socket.resume();
  }

  /** Terminates every socket still open (after the core closed them gracefully). */
  close(): void {
    // Each leaves the map in its close listener, which also tells the core.
    for (const socket of this.connections.keys()) socket.destroy();
  }
}
