import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { FrameReader, MAX_FRAGMENTS, Opcode, acceptKey, binaryFrame, closeFrame, handshakeResponse, isValidCloseCode } from './wsFrames.js';

/** Client frames as `ws` builds them (masked with a random key), so the reader is checked against another implementation. */
const Sender = (ws as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }).Sender;
function clientFrame(opcode: number, payload: Uint8Array | string, fin = true, rsv1 = false): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  return Buffer.concat(Sender.frame(data, { fin, rsv1, opcode, mask: true, readOnly: false }));
}

type Event = ['message', number[]] | ['text'] | ['ping', number[]] | ['close', number | null, string] | ['fail', number];

/** Records what the reader reports. */
class Recorder extends FrameReader {
  readonly events: Event[] = [];
  protected onMessage(message: Buffer): void {
    this.events.push(['message', [...message]]);
  }
  protected onText(): void {
    this.events.push(['text']);
  }
  protected onPing(payload: Buffer): void {
    this.events.push(['ping', [...payload]]);
  }
  protected onPeerClose(code: number | null, reason: string): void {
    this.events.push(['close', code, reason]);
  }
  protected onFail(code: number): void {
    this.events.push(['fail', code]);
  }
}

function readAll(chunks: Buffer[], maxBytes = 1 << 20): Event[] {
  const reader = new Recorder(maxBytes);
  for (const chunk of chunks) reader.read(Buffer.from(chunk));
  return reader.events;
}

const bytes = (length: number, seed = 0): Uint8Array => new Uint8Array(length).map((_, index) => (index * 31 + seed) % 256);

describe('FrameReader', () => {
  it('reads every length encoding, in one chunk and split at every byte', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const payload = bytes(length, length);
      const frame = clientFrame(Opcode.binary, payload);
      expect(readAll([frame])).toEqual([['message', [...payload]]]);
      // A header cut anywhere, and a payload over many chunks.
      for (const cut of [1, 2, 3, 5, 9, 13, Math.floor(frame.length / 2), frame.length - 1]) {
        if (cut >= frame.length) continue;
        expect(readAll([frame.subarray(0, cut), frame.subarray(cut)])).toEqual([['message', [...payload]]]);
      }
    }
    const frame = clientFrame(Opcode.binary, bytes(300));
    expect(readAll([...frame].map((byte) => Buffer.from([byte])))).toEqual([['message', [...bytes(300)]]]);
  });

  it('reads many frames from one chunk, and frames that straddle chunks, in order', () => {
    const frames = [clientFrame(Opcode.binary, bytes(3, 1)), clientFrame(Opcode.ping, 'hej'), clientFrame(Opcode.binary, bytes(200, 2)), clientFrame(Opcode.binary, bytes(0))];
    const all = Buffer.concat(frames);
    const expected: Event[] = [
      ['message', [...bytes(3, 1)]],
      ['ping', [...Buffer.from('hej')]],
      ['message', [...bytes(200, 2)]],
      ['message', []],
    ];
    expect(readAll([all])).toEqual(expected);
    for (let cut = 1; cut < all.length; cut += 7) expect(readAll([all.subarray(0, cut), all.subarray(cut)])).toEqual(expected);
  });

  it('joins a fragmented message, with control frames between its fragments', () => {
    const events = readAll([
      clientFrame(Opcode.binary, bytes(10, 1), false),
      clientFrame(Opcode.ping, 'p'),
      clientFrame(Opcode.continuation, bytes(5, 2), false),
      clientFrame(Opcode.pong, ''),
      clientFrame(Opcode.continuation, bytes(7, 3), true),
    ]);
    expect(events).toEqual([
      ['ping', [...Buffer.from('p')]],
      ['message', [...bytes(10, 1), ...bytes(5, 2), ...bytes(7, 3)]],
    ]);
  });

  it('fails oversized messages with 1009 before reading them, also when only their fragments together are too large', () => {
    expect(readAll([clientFrame(Opcode.binary, bytes(101)).subarray(0, 8)], 100)).toEqual([['fail', 1009]]);
    expect(readAll([clientFrame(Opcode.binary, bytes(100))], 100)).toEqual([['message', [...bytes(100)]]]);
    expect(readAll([clientFrame(Opcode.binary, bytes(60), false), clientFrame(Opcode.continuation, bytes(60))], 100)).toEqual([['fail', 1009]]);
    // A 64-bit length past 2^53: no allocation is attempted.
    const huge = Buffer.from([0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]);
    expect(readAll([huge])).toEqual([['fail', 1009]]);
  });

  it('bounds what fragments cost: empty ones are not kept, a message in too many fails with 1009', () => {
    const empties = Array.from({ length: 10_000 }, () => clientFrame(Opcode.continuation, '', false));
    expect(readAll([clientFrame(Opcode.binary, bytes(2), false), ...empties, clientFrame(Opcode.continuation, bytes(1))])).toEqual([['message', [...bytes(2), ...bytes(1)]]]);
    const tiny = Array.from({ length: MAX_FRAGMENTS }, () => clientFrame(Opcode.continuation, bytes(1), false));
    expect(readAll([clientFrame(Opcode.binary, bytes(1), false), ...tiny])).toEqual([['fail', 1009]]);
    expect(readAll([clientFrame(Opcode.binary, bytes(1), false), ...tiny.slice(1), clientFrame(Opcode.continuation, bytes(1))])).toHaveLength(1);
  });

  it('keeps only the bytes that arrived of a frame whose header claims a large payload', () => {
    const reader = new Recorder(1 << 30);
    const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0x20, 0, 0, 0, 1, 2, 3, 4]); // claims 512 MiB
    const before = process.memoryUsage().arrayBuffers;
    reader.read(Buffer.concat([header, Buffer.alloc(10)]));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    expect(reader.events).toEqual([]);
  });

  it('fails what the protocol forbids with 1002 and reads nothing after', () => {
    const unmasked = binaryFrame(bytes(4));
    const rsv = clientFrame(Opcode.binary, bytes(4), true, true);
    const reserved = clientFrame(0x3, bytes(4));
    const reservedControl = clientFrame(0xb, bytes(4));
    const fragmentedPing = clientFrame(Opcode.ping, 'x', false);
    const longPing = clientFrame(Opcode.ping, bytes(126));
    const strayContinuation = clientFrame(Opcode.continuation, bytes(4));
    const interleaved = Buffer.concat([clientFrame(Opcode.binary, bytes(4), false), clientFrame(Opcode.binary, bytes(4))]);
    const oneByteClose = clientFrame(Opcode.close, Buffer.from([3]));
    const badCode = clientFrame(Opcode.close, Buffer.from([0x03, 0xed])); // 1005 may not be sent
    for (const frame of [unmasked, rsv, reserved, reservedControl, fragmentedPing, longPing, strayContinuation, interleaved, oneByteClose, badCode]) {
      expect(readAll([Buffer.concat([frame, clientFrame(Opcode.binary, bytes(2))])])).toEqual([['fail', 1002]]);
    }
  });

  it('fails a close reason that is not UTF-8 with 1007', () => {
    expect(readAll([clientFrame(Opcode.close, Buffer.from([0x03, 0xe8, 0xc3, 0x28]))])).toEqual([['fail', 1007]]);
  });

  it('reports text and the peer’s close frame, then reads no more', () => {
    expect(readAll([Buffer.concat([clientFrame(Opcode.text, 'hej'), clientFrame(Opcode.binary, bytes(2))])])).toEqual([['text']]);
    const close = Buffer.concat([clientFrame(Opcode.close, Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from('hejdå')])), clientFrame(Opcode.binary, bytes(2))]);
    expect(readAll([close])).toEqual([['close', 4000, 'hejdå']]);
    expect(readAll([clientFrame(Opcode.close, '')])).toEqual([['close', null, '']]);
  });
});

describe('frames the server writes', () => {
  it('frames a binary message exactly as ws does for an unmasked frame, at every length encoding', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const message = bytes(length);
      const expected = Buffer.concat(Sender.frame(Buffer.from(message), { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: false }));
      expect(binaryFrame(message).equals(expected)).toBe(true);
    }
  });

  it('writes close frames with the code and a reason cut to 123 bytes on a character boundary', () => {
    const frame = closeFrame(4404, 'ö'.repeat(100));
    expect(frame[0]).toBe(0x88);
    expect(frame[1]).toBeLessThanOrEqual(125);
    expect(frame.readUInt16BE(2)).toBe(4404);
    expect(frame.subarray(4).toString()).toBe('ö'.repeat(61));
    expect([...closeFrame(null)]).toEqual([0x88, 0]);
  });

  it('knows which close codes a peer may send', () => {
    expect([1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999].every(isValidCloseCode)).toBe(true);
    expect([0, 999, 1004, 1005, 1006, 1015, 2000, 2999, 5000].some(isValidCloseCode)).toBe(false);
  });
});

describe('opening handshake', () => {
  const request = (headers: Record<string, string>, method = 'GET'): IncomingMessage => ({ method, headers }) as unknown as IncomingMessage;
  const valid = { upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' };

  it('answers with the accept key of RFC 6455 §1.3', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    const answer = handshakeResponse(request(valid));
    expect('response' in answer && answer.response).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    expect('response' in answer && answer.response.startsWith('HTTP/1.1 101 Switching Protocols\r\n')).toBe(true);
    expect('response' in answer && answer.response.endsWith('\r\n\r\n')).toBe(true);
  });

  it('accepts the first subprotocol offered and refuses a malformed list', () => {
    const answer = handshakeResponse(request({ ...valid, 'sec-websocket-protocol': 'yjs, other' }));
    expect('response' in answer && answer.response).toContain('Sec-WebSocket-Protocol: yjs\r\n');
    expect(handshakeResponse(request({ ...valid, 'sec-websocket-protocol': 'a b' }))).toEqual({ refusal: { status: 400, text: 'Bad Request' } });
  });

  it('refuses a bad key, method or upgrade with 400 and an unknown version with 426', () => {
    expect('refusal' in handshakeResponse(request({ ...valid, 'sec-websocket-key': 'kort' }))).toBe(true);
    expect('refusal' in handshakeResponse(request(valid, 'POST'))).toBe(true);
    expect('refusal' in handshakeResponse(request({ ...valid, upgrade: 'h2c' }))).toBe(true);
    expect(handshakeResponse(request({ ...valid, 'sec-websocket-version': '12' }))).toMatchObject({ refusal: { status: 426 } });
  });
});
