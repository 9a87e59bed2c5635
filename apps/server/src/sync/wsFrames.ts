import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from '@samverkan/protocol';

/**
 * The server side of RFC 6455 that the sync transport needs, on a plain TCP socket: the opening
 * handshake, reading client frames (masked, possibly fragmented, with control frames between
 * fragments) and writing unmasked frames. No extensions are negotiated (no permessage-deflate:
 * small Yjs updates gain nothing from it), so every RSV bit must be 0.
 *
 * Why not `ws`: an idle `ws` connection holds a WebSocket, a Receiver that is a Writable stream
 * (its own stream state, listener tables and buffer lists), a Sender and their closures, about
 * 1.4 KiB of heap per connection on top of Node's socket; every received chunk also passes
 * through that Writable. Reading frames here keeps a connection to one small object (the reader
 * state lives in the transport's socket adapter) and a chunk to one loop. What the protocol
 * allows is checked as strictly as `ws` checks it, with the same close codes (tests compare the
 * two on the same input).
 */

/** RFC 6455 §1.3: appended to the client's key before hashing. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Longest a control frame's payload may be (§5.5). */
const MAX_CONTROL_PAYLOAD = 125;
/**
 * Most fragments one message may arrive in (browsers and y-websocket send one frame per
 * message). Bounds the objects a client makes the server keep: without it, a stream of tiny
 * fragments under the size limit would cost far more heap than its bytes.
 */
export const MAX_FRAGMENTS = 1024;

/** The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key` (§4.2.2). */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** A key is the base64 text of 16 bytes (§4.1): 22 characters and `==`. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** A subprotocol name is an HTTP token (§4.1, RFC 7230 §3.2.6). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Why an opening handshake is refused: the HTTP status and its text. */
export interface HandshakeRefusal {
  status: number;
  text: string;
  /** Extra response headers (the supported version for a 426). */
  headers?: string;
}

/**
 * Checks an upgrade request (§4.2.1) and returns the `101 Switching Protocols` response to
 * write, or why it is refused. The first subprotocol a client offers is accepted, as `ws` does
 * by default (a browser fails the connection when none it asked for comes back).
 */
export function handshakeResponse(request: IncomingMessage): { response: string } | { refusal: HandshakeRefusal } {
  const headers = request.headers;
  if (request.method !== 'GET') return { refusal: { status: 400, text: 'Bad Request' } };
  if ((headers.upgrade ?? '').toLowerCase() !== 'websocket') return { refusal: { status: 400, text: 'Bad Request' } };
  const key = headers['sec-websocket-key'];
  if (typeof key !== 'string' || !KEY.test(key.trim())) return { refusal: { status: 400, text: 'Bad Request' } };
  const version = headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return { refusal: { status: 426, text: 'Upgrade Required', headers: 'Sec-WebSocket-Version: 13\r\n' } };
  }
  let protocol = '';
  const offered = headers['sec-websocket-protocol'];
  if (offered !== undefined) {
    const names = offered.split(',').map((name) => name.trim());
    if (names.some((name) => !TOKEN.test(name))) return { refusal: { status: 400, text: 'Bad Request' } };
    protocol = `Sec-WebSocket-Protocol: ${names[0] as string}\r\n`;
  }
  return {
    response: `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key.trim())}\r\n${protocol}\r\n`,
  };
}

/**
 * Answers a refused upgrade with an HTTP status and destroys the socket once the answer is
 * written: a client that never ends its side of the connection keeps nothing (the server's
 * sockets are half-open). Used for every refusal before a 101, by the router too.
 */
export function refuseUpgrade(socket: Duplex, refusal: HandshakeRefusal): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${refusal.status} ${refusal.text}\r\nConnection: close\r\n${refusal.headers ?? ''}Content-Length: 0\r\n\r\n`);
}

/**
 * One final, unmasked frame (§5.2: a server never masks) of `opcode` holding `payload`: the
 * header (2, 4 or 10 bytes) written in place in front of the payload, in one buffer.
 */
function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const encoded = Buffer.allocUnsafe(headerLength + length);
  encoded[0] = 0x80 | opcode;
  if (length < 126) {
    encoded[1] = length;
  } else if (length < 65_536) {
    encoded[1] = 126;
    encoded.writeUInt16BE(length, 2);
  } else {
    encoded[1] = 127;
    encoded.writeBigUInt64BE(BigInt(length), 2);
  }
  encoded.set(payload, headerLength);
  return encoded;
}

/** One binary frame holding `message` (what every relayed message is sent in). */
export function binaryFrame(message: Uint8Array): Buffer {
  return encodeFrame(Opcode.binary, message);
}

/** A control frame (ping, pong, close) with `payload` (at most 125 bytes). */
export function controlFrame(opcode: number, payload: Uint8Array): Buffer {
  return encodeFrame(opcode, payload);
}

/**
 * A close frame with `code` and `reason` (§5.5.1), the reason cut to fit 123 bytes; no code
 * (null) gives an empty close frame.
 */
export function closeFrame(code: number | null, reason = ''): Buffer {
  if (code === null) return controlFrame(Opcode.close, Buffer.alloc(0));
  let text = Buffer.from(reason);
  if (text.byteLength > MAX_CONTROL_PAYLOAD - 2) {
    // Cut on a character boundary.
    let end = MAX_CONTROL_PAYLOAD - 2;
    while (end > 0 && ((text[end] as number) & 0xc0) === 0x80) end--;
    text = text.subarray(0, end);
  }
  const payload = Buffer.allocUnsafe(2 + text.byteLength);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return controlFrame(Opcode.close, payload);
}

/** Close codes a peer may send (§7.4.1, §7.4.2): not 1004–1006, 1015 or unassigned ones. */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** XORs `data` in place with the 4-byte `mask` (big-endian in one int32). */
function unmask(data: Buffer, mask: number): void {
  const m0 = (mask >>> 24) & 0xff;
  const m1 = (mask >>> 16) & 0xff;
  const m2 = (mask >>> 8) & 0xff;
  const m3 = mask & 0xff;
  const length = data.length;
  let index = 0;
  for (; index + 3 < length; index += 4) {
    data[index] = (data[index] as number) ^ m0;
    data[index + 1] = (data[index + 1] as number) ^ m1;
    data[index + 2] = (data[index + 2] as number) ^ m2;
    data[index + 3] = (data[index + 3] as number) ^ m3;
  }
  for (let at = 0; index < length; index++, at++) data[index] = (data[index] as number) ^ (at === 0 ? m0 : at === 1 ? m1 : m2);
}

const EMPTY = Buffer.alloc(0);

/**
 * Reads client frames from the chunks of a TCP socket, in any split (a header cut in two, a
 * payload over many chunks, many frames in one chunk). A subclass gets whole binary messages,
 * pings, the peer's close frame and protocol failures; its state is a handful of fields that
 * are null while the connection is idle.
 *
 * After a failure or the peer's close frame, the rest is ignored: the connection is closing.
 */
export abstract class FrameReader {
  /** Bytes of a frame header cut off at the end of the previous chunk. */
  private partialHeader: Buffer | null = null;
  /**
   * The parts of the payload of the frame being read, as its chunks arrive (views of them):
   * memory follows the bytes received, not the length the header claims.
   */
  private payload: Buffer[] | null = null;
  /** Bytes of the frame's payload still to come. */
  private missing = 0;
  private frameHead = 0;
  private frameMask = 0;
  /** Fragments of a binary message not yet finished (null when none). */
  private fragments: Buffer[] | null = null;
  private fragmentBytes = 0;
  /** Set once the connection fails or the peer closes: nothing more is read. */
  protected readStopped = false;

  /** @param maxMessageBytes Largest message accepted (over all its fragments); larger fails with 1009. */
  constructor(private readonly maxMessageBytes: number) {}

  /** A complete binary message (its bytes are the reader's to give away). */
  protected abstract onMessage(message: Buffer): void;
  /** A text frame began: the sync protocol is binary only. Reading stops. */
  protected abstract onText(): void;
  /** A ping: answer with a pong carrying `payload`. */
  protected abstract onPing(payload: Buffer): void;
  /** The peer's close frame: its code (null when it sent none) and reason. Reading stops. */
  protected abstract onPeerClose(code: number | null, reason: string): void;
  /** The peer broke the protocol: close with `code`. Reading stops. */
  protected abstract onFail(code: number, reason: string): void;

  /** Feeds one chunk read from the socket. */
  read(chunk: Buffer): void {
    let data = chunk;
    let offset = 0;
    if (this.payload !== null) {
      offset = this.fill(data, 0);
      if (this.payload !== null || this.readStopped) return;
    } else if (this.partialHeader !== null) {
      data = Buffer.concat([this.partialHeader, chunk]);
      this.partialHeader = null;
    }
    while (offset < data.length && !this.readStopped) {
      const next = this.frame(data, offset);
      if (next < 0) {
        // An incomplete header: keep it for the next chunk (at most 13 bytes: 2, 8 of length, 4 of mask).
        this.partialHeader = Buffer.from(data.subarray(offset));
        return;
      }
      offset = next;
    }
  }

  /** Takes payload bytes from `data` at `offset`; dispatches the frame when it is complete. */
  private fill(data: Buffer, offset: number): number {
    const parts = this.payload as Buffer[];
    const taken = Math.min(this.missing, data.length - offset);
    parts.push(data.subarray(offset, offset + taken));
    this.missing -= taken;
    if (this.missing === 0) {
      this.payload = null;
      const payload = Buffer.concat(parts);
      unmask(payload, this.frameMask);
      this.dispatch(this.frameHead, payload);
    }
    return offset + taken;
  }

  /**
   * Reads the frame at `offset`: returns the offset after what it consumed, or -1 when the header
   * is not complete yet.
   */
  private frame(data: Buffer, offset: number): number {
    const available = data.length - offset;
    if (available < 2) return -1;
    const head = data[offset] as number;
    const second = data[offset + 1] as number;
    const opcode = head & 0x0f;
    if ((head & 0x70) !== 0) return this.fail(CloseCode.protocolError, 'RSV bits must be clear');
    if ((second & 0x80) === 0) return this.fail(CloseCode.protocolError, 'client frames must be masked');
    const control = opcode >= 0x8;
    if (control) {
      if (opcode > Opcode.pong) return this.fail(CloseCode.protocolError, `invalid opcode ${opcode}`);
      if ((head & 0x80) === 0) return this.fail(CloseCode.protocolError, 'control frames must not be fragmented');
    } else if (opcode > Opcode.binary) {
      return this.fail(CloseCode.protocolError, `invalid opcode ${opcode}`);
    }
    const short = second & 0x7f;
    const headerLength = (short === 126 ? 4 : short === 127 ? 10 : 2) + 4;
    if (available < headerLength) return -1;
    let length = short;
    if (short === 126) {
      length = data.readUInt16BE(offset + 2);
    } else if (short === 127) {
      const high = data.readUInt32BE(offset + 2);
      // Beyond 2^53 - 1 (and the top bit must be 0 anyway): far past any limit.
      if (high > 0x1fffff) return this.fail(CloseCode.messageTooBig, 'frame too large');
      length = high * 0x1_0000_0000 + data.readUInt32BE(offset + 6);
    }
    if (control) {
      if (length > MAX_CONTROL_PAYLOAD) return this.fail(CloseCode.protocolError, 'control frame too long');
    } else if (this.fragmentBytes + length > this.maxMessageBytes) {
      return this.fail(CloseCode.messageTooBig, 'message too large');
    }
    const mask = data.readInt32BE(offset + headerLength - 4);
    const start = offset + headerLength;
    if (data.length - start >= length) {
      const payload = length === 0 ? EMPTY : data.subarray(start, start + length);
      if (length > 0) unmask(payload, mask);
      this.dispatch(head, payload);
      return start + length;
    }
    // The payload goes on in later chunks: gather them.
    this.payload = [];
    this.missing = length;
    this.frameHead = head;
    this.frameMask = mask;
    return this.fill(data, start);
  }

  /** Handles one complete frame (`head` is its first byte). */
  private dispatch(head: number, payload: Buffer): void {
    const opcode = head & 0x0f;
    const fin = (head & 0x80) !== 0;
    switch (opcode) {
      case Opcode.binary:
      case Opcode.text:
        if (this.fragments !== null) {
          this.fail(CloseCode.protocolError, 'a new message began before the last one ended');
          return;
        }
        if (opcode === Opcode.text) {
          this.readStopped = true;
          this.onText();
          return;
        }
        if (fin) {
          this.onMessage(payload);
        } else {
          // Copied: a fragment waiting for the rest of its message must not keep the whole chunk
          // it came in alive.
          this.fragments = [Buffer.from(payload)];
          this.fragmentBytes = payload.length;
        }
        return;
      case Opcode.continuation: {
        if (this.fragments === null) {
          this.fail(CloseCode.protocolError, 'continuation without a message');
          return;
        }
        if (payload.length > 0) {
          if (this.fragments.length >= MAX_FRAGMENTS) {
            this.fail(CloseCode.messageTooBig, 'message in too many fragments');
            return;
          }
          this.fragments.push(Buffer.from(payload));
          this.fragmentBytes += payload.length;
        }
        if (!fin) return;
        const message = Buffer.concat(this.fragments, this.fragmentBytes);
        this.fragments = null;
        this.fragmentBytes = 0;
        this.onMessage(message);
        return;
      }
      case Opcode.close: {
        if (payload.length === 1) {
          this.fail(CloseCode.protocolError, 'close frame with a 1-byte payload');
          return;
        }
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : null;
        if (code !== null && !isValidCloseCode(code)) {
          this.fail(CloseCode.protocolError, `invalid close code ${code}`);
          return;
        }
        const reason = payload.subarray(2);
        if (!isUtf8(reason)) {
          this.fail(CloseCode.invalidPayload, 'close reason is not UTF-8');
          return;
        }
        this.readStopped = true;
        this.onPeerClose(code, reason.toString('utf8'));
        return;
      }
      case Opcode.ping:
        this.onPing(payload);
        return;
      default:
        // A pong: nothing to do (the server does not ping).
        return;
    }
  }

  /** Stops reading and reports the failure; returns the end of input (nothing more is read). */
  private fail(code: number, reason: string): number {
    this.readStopped = true;
    this.payload = null;
    this.partialHeader = null;
    this.fragments = null;
    this.onFail(code, reason);
    return Number.MAX_SAFE_INTEGER;
  }
}
