import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@samverkan/protocol';
import type { Logger } from 'pino';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { SyncObserver } from './SyncObserver.js';
import type { ConnectionHandle, SyncServer } from './SyncServer.js';
import type { ConnectionRequest } from './Extension.js';
import type { SyncSocket } from './SyncSocket.js';

/** Options of the WebSocket glue. */
export interface WsTransportOptions {
  /** Largest accepted frame in bytes (default 16 MiB); larger frames close with 1009. */
  maxFrameBytes: number;
  log: Logger;
  observer?: SyncObserver;
}

/**
 * Coalesces what the server sends to one socket within one turn of the event loop into one
 * write: the socket is corked at its first send of the turn and uncorked once, after the I/O
 * callbacks of the turn (setImmediate). A relayed update, the awareness batch flushed with it
 * and an acknowledgement then cost one system call instead of three. Nothing waits longer than
 * the rest of the current turn.
 */
export class SendCoalescer {
  private corked: Duplex[] = [];
  private scheduled = false;
  /** Counts the turns in which something was held (advances when they are written out). */
  turn = 0;

  /** Corks `socket` until the end of this turn (once per turn). */
  hold(socket: Duplex): void {
    if (socket.writableCorked > 0 || socket.destroyed) return;
    socket.cork();
    this.corked.push(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.release);
    }
  }

  private readonly release = (): void => {
    this.scheduled = false;
    this.turn++;
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) {
      if (socket.writableCorked > 0) socket.uncork();
    }
  };
}

/**
 * One unmasked, final binary WebSocket frame (RFC 6455 §5.2: a server never masks) holding
 * `message`: the header and the payload in one buffer.
 */
export function binaryFrame(message: Uint8Array): Buffer {
  const length = message.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x82; // FIN + opcode 2 (binary)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(message, headerLength);
  return frame;
}

/**
 * The frame of the message sent last. A relay sends the same message object to every
 * connection of a room one after another, so the frame is built once and written N times.
 */
let lastMessage: Uint8Array | null = null;
let lastFrame: Buffer | null = null;
function frameOf(message: Uint8Array): Buffer {
  if (message !== lastMessage || lastFrame === null) {
    lastFrame = binaryFrame(message);
    lastMessage = message;
  }
  return lastFrame;
}

/**
 * Adapts a `ws` WebSocket to the core's {@link SyncSocket}; `raw` is the socket it runs on.
 * Binary messages are framed here and written to `raw` directly (in call order with anything
 * `ws` itself writes, such as a close frame, since both go through the same stream); `ws`
 * still owns the handshake, reading, pings and closing. A class, so that each of the many idle
 * connections carries three fields rather than a closure per method.
 */
class WsSyncSocket implements SyncSocket {
  // Bytes the client had not taken when this turn's sends began: what is held for the turn is
  // not the client's backlog, so it does not count against the send-buffer cap for what others
  // send (a relay larger than the cap still goes to a client that reads). The bytes written in
  // this turn are counted for `owedBytes` (answers to the client's own requests).
  private heldTurn = -1;
  private backlog = 0;
  private heldBytes = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly raw: Duplex,
    private readonly coalescer: SendCoalescer,
  ) {}

  send(message: Uint8Array): void {
    const raw = this.raw;
    if (this.ws.readyState !== WebSocket.OPEN || raw.destroyed || !raw.writable) return;
    if (this.heldTurn !== this.coalescer.turn) {
      this.heldTurn = this.coalescer.turn;
      this.backlog = this.ws.bufferedAmount;
      this.heldBytes = 0;
      this.coalescer.hold(raw);
    }
    const frame = frameOf(message);
    this.heldBytes += frame.byteLength;
    raw.write(frame);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  get bufferedAmount(): number {
    return this.heldTurn === this.coalescer.turn ? this.backlog : this.ws.bufferedAmount;
  }

  get owedBytes(): number {
    return this.heldTurn === this.coalescer.turn ? this.backlog + this.heldBytes : this.ws.bufferedAmount;
  }
}

/**
 * Thin `ws` glue for `/yjs/:documentId`: upgrades the request, then feeds binary frames into
 * the sync core. Text frames close the connection (1003); errors never escape the socket.
 */
export class WsTransport {
  private readonly wss: WebSocketServer;
  private readonly coalescer = new SendCoalescer();
  /** The sync core's handle of each open socket (read by the shared listeners below). */
  private readonly handles = new WeakMap<WebSocket, ConnectionHandle>();
  /**
   * Socket listeners, one set per transport: `ws` calls them with the socket as `this`, so the
   * many idle connections carry no closures of their own.
   */
  private readonly onMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void;
  private readonly onError: (this: WebSocket, error: Error & { code?: string }) => void;
  private readonly onClose: (this: WebSocket) => void;

  constructor(
    private readonly sync: SyncServer,
    private readonly options: WsTransportOptions,
  ) {
    // No permessage-deflate: frames are written uncompressed by binaryFrame (and the CPU goes to
    // relaying, not compressing small updates).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
    this.wss.on('error', (error) => options.log.error({ err: error }, 'websocket server error'));
    const handles = this.handles;
    this.onMessage = function (data, isBinary) {
      const handle = handles.get(this);
      if (!handle) return;
      if (!isBinary) {
        options.observer?.rejected('text_frame');
        options.log.warn({ documentId: handle.connection.documentId, connectionId: handle.connection.id }, 'closing connection: text frame');
        handle.connection.close(CloseCode.unsupportedData, 'text frames are not accepted');
        return;
      }
      const message = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      handle.receive(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    };
    this.onError = function (error) {
      // ws closes by itself (1009 for oversized frames, 1002 for protocol errors); log without content.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') options.observer?.rejected('frame_too_large');
      const handle = handles.get(this);
      options.log.warn(
        { documentId: handle?.connection.documentId, connectionId: handle?.connection.id, reason: error.message, code: error.code },
        'closing connection: websocket error',
      );
    };
    this.onClose = function () {
      const handle = handles.get(this);
      handles.delete(this);
      handle?.closed();
    };
  }

  /** Completes an upgrade already checked by the upgrade router (path, origin). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, documentId: string, params: URLSearchParams): void {
    const connectionRequest = { documentId, params, headers: request.headers, remoteAddress: request.socket.remoteAddress };
    this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, socket, connectionRequest));
  }

  /**
   * Wires an upgraded socket to the sync core: its handle, and the transport's shared listeners
   * (nothing that lives as long as the connection holds the upgrade request).
   */
  private attach(ws: WebSocket, socket: Duplex, request: ConnectionRequest): void {
    this.handles.set(ws, this.sync.connect(new WsSyncSocket(ws, socket, this.coalescer), request));
    ws.on('message', this.onMessage);
    ws.on('error', this.onError);
    ws.on('close', this.onClose);
  }

  /** Terminates every socket still open (after the core closed them gracefully). */
  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
