import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { ServerHandle } from './servers.js';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const ACK = 100;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

/** Options of a protocol-level client. */
export interface ClientOptions {
  /** Called with the raw update payload of every relayed update (readers parse markers from it). */
  onUpdate?: (payload: Uint8Array, receivedAt: number) => void;
  /** Ask Samverkan for acknowledgements (type 100). */
  ack?: boolean;
  /** A Y.Doc of the client's own whose state answers the server's sync step 1 (writers). */
  doc?: Y.Doc;
  /** Called with the acknowledged write count (Samverkan with `ack`). */
  onAck?: (acked: number, receivedAt: number) => void;
}

const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/** RFC 6455 §1.3: the GUID a server hashes with the client's key to accept an upgrade. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_CONTINUATION = 0x0;
export const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/**
 * One final frame (RFC 6455 §5.2): the header, the masking key if `masked`, the payload. A
 * client's frames are masked (§5.3) with the key zero: payload bytes go out as they are, and the
 * server still runs its unmasking (it cannot tell). The key exists against cache poisoning
 * through proxies, and a benchmark on loopback has none.
 */
export function encodeFrame(opcode: number, payload: Uint8Array, masked = true): Buffer {
  const length = payload.byteLength;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const key = masked ? 4 : 0;
  const frame = Buffer.allocUnsafe(header + key + length);
  const mask = masked ? 0x80 : 0;
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = mask | length;
  } else if (length < 65_536) {
    frame[1] = mask | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = mask | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  if (masked) frame.writeUInt32BE(0, header);
  frame.set(payload, header + key);
  return frame;
}

/**
 * A protocol-level client: speaks the y-websocket protocol (or Hocuspocus's framing: document
 * name before every message, an auth message first) without holding a shared Y.Doc, so the
 * load generator stays cheap. It reads WebSocket frames off the TCP socket itself (a few lines
 * for what a server sends: unmasked frames, maybe fragmented, pings and a close) instead of
 * through a full WebSocket library: the generator receives tens of thousands of frames a second
 * on one core, and in the fan-out scenario the library's stream machinery took it over the 85%
 * of a core at which a run is marked invalid.
 */
export class BenchClient {
  syncedAt = 0;
  readonly synced: Promise<void>;
  awarenessReceived = 0;
  updatesReceived = 0;
  acked = 0;
  /** Write messages sent (sync step 2 and update), as the server counts them for acknowledgements. */
  writesSent = 0;
  closed = false;
  private resolveSynced!: () => void;
  private readonly hocuspocus: boolean;
  private socket: Duplex | null = null;
  private readonly upgrade: ReturnType<typeof request>;
  /** Reads holding a frame not complete yet, and how many bytes it needs in all. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private needed = 2;
  /** Payloads of a fragmented message so far. */
  private fragments: Buffer[] = [];

  constructor(
    server: Pick<ServerHandle, 'wsUrl' | 'framing' | 'cookie'>,
    private readonly documentName: string,
    private readonly options: ClientOptions = {},
  ) {
    this.hocuspocus = server.framing === 'hocuspocus';
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve));
    const query = options.ack ? '?ack=1' : '';
    const url = this.hocuspocus ? server.wsUrl : `${server.wsUrl}/${encodeURIComponent(documentName)}${query}`;
    const key = randomBytes(16).toString('base64');
    this.upgrade = request(url.replace(/^ws/, 'http'), {
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': key,
        ...(server.cookie ? { Cookie: server.cookie } : {}),
      },
    });
    this.upgrade.on('upgrade', (response, socket, head) => {
      const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
      if (response.headers['sec-websocket-accept'] !== accept || this.closed) {
        socket.destroy();
        this.closed = true;
        return;
      }
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.read(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.closed = true;
      });
      if (head.byteLength > 0) this.read(head);
      this.opened();
    });
    // Refused (no upgrade): the client is closed, as a WebSocket would be.
    this.upgrade.on('response', (response) => {
      response.resume();
      this.closed = true;
    });
    this.upgrade.on('error', () => {
      this.closed = true;
    });
    this.upgrade.end();
  }

  private opened(): void {
    if (this.hocuspocus) {
      this.send((encoder) => {
        encoding.writeVarUint(encoder, AUTH);
        encoding.writeVarUint(encoder, 0); // AuthMessageType.Token
        encoding.writeVarString(encoder, 'bench');
      });
    } else {
      this.sendStep1();
    }
  }

  /**
   * Splits what arrived into frames (a frame may span reads, a read hold many frames). Reads of
   * an incomplete frame are kept as they are and joined once the frame is whole: a 500 KiB
   * document arriving in 64 KiB reads is copied once, not once per read.
   */
  private read(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    if (this.pendingBytes < this.needed) return;
    const buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.needed = 2;
    let offset = 0;
    while (offset < buffer.byteLength) {
      const available = buffer.byteLength - offset;
      if (available < 2) break;
      const first = buffer[offset] as number;
      const second = buffer[offset + 1] as number;
      let length = second & 0x7f;
      let header = 2;
      if (length === 126) {
        header = 4;
        if (available < header) break;
        length = buffer.readUInt16BE(offset + 2);
      } else if (length === 127) {
        header = 10;
        if (available < header) break;
        length = Number(buffer.readBigUInt64BE(offset + 2));
      }
      const masked = (second & 0x80) !== 0;
      const start = offset + header + (masked ? 4 : 0);
      if (buffer.byteLength < start + length) {
        this.needed = start + length - offset;
        break;
      }
      const payload = buffer.subarray(start, start + length);
      if (masked) {
        for (let index = 0; index < length; index++) payload[index] = (payload[index] as number) ^ (buffer[start - 4 + (index & 3)] as number);
      }
      offset = start + length;
      this.frame((first & 0x80) !== 0, first & 0x0f, payload);
      if (this.closed) return;
    }
    if (offset < buffer.byteLength) {
      const rest = buffer.subarray(offset);
      this.pending.push(rest);
      this.pendingBytes = rest.byteLength;
      // A frame whose header is not complete yet: parsed again when more has arrived.
      if (this.needed <= rest.byteLength) this.needed = rest.byteLength + 1;
    }
  }

  private frame(final: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OPCODE_PING) {
      this.socket?.write(encodeFrame(OPCODE_PONG, payload));
    } else if (opcode === OPCODE_CLOSE) {
      this.socket?.end(encodeFrame(OPCODE_CLOSE, payload.subarray(0, 2)));
      this.closed = true;
    } else if (opcode === OPCODE_BINARY || opcode === OPCODE_CONTINUATION) {
      if (!final) {
        this.fragments.push(Buffer.from(payload));
        return;
      }
      const message = this.fragments.length > 0 ? Buffer.concat([...this.fragments, payload]) : payload;
      this.fragments = [];
      this.receive(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    }
    // Pongs and text frames: nothing to do (the servers send neither unasked).
  }

  /** Sends one Yjs update. */
  sendUpdate(update: Uint8Array): void {
    this.writesSent++;
    this.send((encoder) => {
      encoding.writeVarUint(encoder, SYNC);
      encoding.writeVarUint(encoder, UPDATE);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  /** Sends an awareness update (already encoded by y-protocols). */
  sendAwareness(update: Uint8Array): void {
    this.send((encoder) => {
      encoding.writeVarUint(encoder, AWARENESS);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  /** Drops the connection without a closing handshake. */
  terminate(): void {
    this.closed = true;
    if (this.socket) this.socket.destroy();
    else this.upgrade.destroy();
  }

  /** Closes with 1000 (normal closure). */
  close(): void {
    if (!this.socket || this.closed) return this.terminate();
    this.closed = true;
    this.socket.end(encodeFrame(OPCODE_CLOSE, new Uint8Array([0x03, 0xe8])));
  }

  private sendStep1(): void {
    this.send((encoder) => {
      encoding.writeVarUint(encoder, SYNC);
      encoding.writeVarUint(encoder, STEP1);
      encoding.writeVarUint8Array(encoder, this.options.doc ? Y.encodeStateVector(this.options.doc) : new Uint8Array([0]));
    });
  }

  private send(write: (encoder: encoding.Encoder) => void): void {
    if (!this.socket || this.closed) return;
    const encoder = encoding.createEncoder();
    if (this.hocuspocus) encoding.writeVarString(encoder, this.documentName);
    write(encoder);
    this.socket.write(encodeFrame(OPCODE_BINARY, encoding.toUint8Array(encoder)));
  }

  private receive(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    if (this.hocuspocus) decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === SYNC) {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === STEP1) {
        const reply = this.options.doc ? Y.encodeStateAsUpdate(this.options.doc, payload) : EMPTY_UPDATE;
        this.writesSent++;
        this.send((encoder) => {
          encoding.writeVarUint(encoder, SYNC);
          encoding.writeVarUint(encoder, STEP2);
          encoding.writeVarUint8Array(encoder, reply);
        });
      } else if (syncType === STEP2) {
        if (!this.syncedAt) {
          this.syncedAt = performance.now();
          this.resolveSynced();
        }
      } else if (syncType === UPDATE) {
        this.updatesReceived++;
        this.options.onUpdate?.(payload, performance.now());
      }
    } else if (type === AWARENESS) {
      this.awarenessReceived++;
    } else if (type === AUTH && this.hocuspocus) {
      this.sendStep1();
    } else if (type === ACK) {
      this.acked = decoding.readVarUint(decoder);
      this.options.onAck?.(this.acked, performance.now());
    }
  }
}

/** A writer: a small Y.Doc of its own whose updates carry `@@writer:seq:sentAt@@` markers. */
export class Writer {
  readonly doc = new Y.Doc();
  private readonly text = this.doc.getText('text');
  seq = 0;
  private last: Uint8Array = new Uint8Array();

  constructor(readonly writerId: number) {
    this.doc.on('update', (update: Uint8Array) => {
      this.last = update;
    });
  }

  /** The next update (appends a marker with the send time on the bench's clock). */
  next(): Uint8Array {
    this.seq++;
    this.text.insert(this.text.length, `@@${this.writerId}:${this.seq}:${performance.now().toFixed(3)}@@`);
    return this.last;
  }
}

const AT = 0x40;
const COLON = 0x3a;
const DOT = 0x2e;

/**
 * Markers (`@@writer:seq:sentAt@@`) found in an update payload: a byte scan, no Y.Doc, no
 * string made (the generator reads every relayed update).
 */
export function readMarkers(payload: Uint8Array): { writerId: number; seq: number; sentAt: number }[] {
  const found: { writerId: number; seq: number; sentAt: number }[] = [];
  let at = payload.indexOf(AT);
  while (at >= 0 && at + 1 < payload.length) {
    if (payload[at + 1] !== AT) {
      at = payload.indexOf(AT, at + 1);
      continue;
    }
    // Three numbers after "@@": digits ':' digits ':' digits '.' digits, then "@@".
    let index = at + 2;
    const numbers: number[] = [];
    let ok = true;
    for (const separator of [COLON, COLON, DOT]) {
      let value = 0;
      const begin = index;
      while (index < payload.length && (payload[index] as number) >= 0x30 && (payload[index] as number) <= 0x39) {
        value = value * 10 + ((payload[index] as number) - 0x30);
        index++;
      }
      if (index === begin || payload[index] !== separator) {
        ok = false;
        break;
      }
      numbers.push(value);
      index++;
    }
    let fraction = 0;
    let scale = 1;
    const fractionBegin = index;
    while (ok && index < payload.length && (payload[index] as number) >= 0x30 && (payload[index] as number) <= 0x39) {
      fraction = fraction * 10 + ((payload[index] as number) - 0x30);
      scale *= 10;
      index++;
    }
    if (ok && index > fractionBegin && payload[index] === AT && payload[index + 1] === AT) {
      found.push({ writerId: numbers[0] as number, seq: numbers[1] as number, sentAt: (numbers[2] as number) + fraction / scale });
      at = payload.indexOf(AT, index + 2);
    } else {
      at = payload.indexOf(AT, at + 1);
    }
  }
  return found;
}

/** An awareness update for one client id, encoded like y-protocols does. */
export function awarenessUpdate(clientId: number, clock: number, state: object): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}
