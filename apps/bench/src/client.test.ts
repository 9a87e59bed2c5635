import { createHash } from 'node:crypto';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { BenchClient, OPCODE_BINARY, encodeFrame } from './client.js';
import { sleep, waitUntil } from './stats.js';

/** A sync update message (type 0, update 2) around `payload`. */
function updateMessage(payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

describe('the bench client reads WebSocket frames off the socket itself', () => {
  let server: WebSocketServer | null = null;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = null;
  });

  const start = async (): Promise<{ url: string; connected: Promise<{ socket: WebSocket; received: Uint8Array[]; path: string }> }> => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server!.once('listening', resolve));
    const connected = new Promise<{ socket: WebSocket; received: Uint8Array[]; path: string }>((resolve) =>
      server!.once('connection', (socket, request) => {
        const received: Uint8Array[] = [];
        socket.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
        resolve({ socket, received, path: request.url ?? '' });
      }),
    );
    return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/yjs`, connected };
  };

  it('sends masked frames a WebSocket server reads, and reads small, 16-bit, 64-bit, fragmented and batched frames', async () => {
    const { url, connected } = await start();
    const payloads: Uint8Array[] = [];
    const client = new BenchClient({ wsUrl: url, framing: 'y-websocket' }, 'plan ett', { onUpdate: (payload) => payloads.push(payload) });
    const { socket, received, path } = await connected;
    expect(path).toBe('/yjs/plan%20ett');
    await waitUntil(() => received.length === 1, 2000);
    expect(Array.from(received[0]!.subarray(0, 2))).toEqual([0, 0]); // its sync step 1
    client.sendUpdate(new Uint8Array([1, 2, 3]));
    await waitUntil(() => received.length === 2, 2000);
    expect(received[1]).toEqual(updateMessage(new Uint8Array([1, 2, 3])));

    const sizes = [5, 300, 70_000];
    for (const size of sizes) socket.send(updateMessage(new Uint8Array(size).fill(size % 251)));
    // One message in three fragments, and a ping between two of them.
    const fragmented = updateMessage(new Uint8Array(1000).fill(9));
    socket.send(fragmented.subarray(0, 10), { fin: false });
    socket.ping();
    socket.send(fragmented.subarray(10, 500), { fin: false });
    socket.send(fragmented.subarray(500), { fin: true });
    let ponged = false;
    socket.on('pong', () => (ponged = true));
    await waitUntil(() => payloads.length === 4 && ponged, 2000);
    expect(payloads.map((payload) => payload.byteLength)).toEqual([5, 300, 70_000, 1000]);
    expect(payloads[2]!.every((byte) => byte === 70_000 % 251)).toBe(true);
    expect(payloads[3]!.every((byte) => byte === 9)).toBe(true);
    expect(client.closed).toBe(false);

    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    client.close();
    expect(await closed).toBe(1000);
  });

  it('is closed when the server refuses the upgrade or closes', async () => {
    const refused = new BenchClient({ wsUrl: 'ws://127.0.0.1:1/yjs', framing: 'y-websocket' }, 'x');
    await waitUntil(() => refused.closed, 2000);
    expect(refused.closed).toBe(true);

    const { url, connected } = await start();
    const client = new BenchClient({ wsUrl: url, framing: 'y-websocket' }, 'plan');
    const { socket } = await connected;
    await sleep(20);
    socket.close(4401, 'signed out');
    await waitUntil(() => client.closed, 2000);
    expect(client.closed).toBe(true);
  });

  it('reads frames that arrive in pieces of any size, headers split too', async () => {
    // A server of a few lines: accepts the upgrade, then writes three frames in pieces.
    const frames = [5, 300, 70_000].map((size) => encodeFrame(OPCODE_BINARY, updateMessage(new Uint8Array(size).fill(size % 251)), false));
    const stream = Buffer.concat(frames);
    const raw = createServer((socket) => {
      socket.setNoDelay(true);
      socket.once('data', (request: Buffer) => void answer(socket, request));
      socket.on('error', () => undefined);
    });
    const answer = async (socket: Socket, request: Buffer): Promise<void> => {
        const key = /sec-websocket-key: (\S+)/i.exec(request.toString('latin1'))?.[1] ?? '';
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        const sizes = [1, 2, 1, 3, 7, 1, 1000, 2, 9];
        for (let offset = 0, turn = 0; offset < stream.byteLength; turn++) {
          const size = sizes[turn % sizes.length] as number;
          socket.write(stream.subarray(offset, offset + size));
          offset += size;
          await new Promise((resolve) => setImmediate(resolve));
        }
    };
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const payloads: Uint8Array[] = [];
      const client = new BenchClient({ wsUrl: `ws://127.0.0.1:${(raw.address() as AddressInfo).port}/yjs`, framing: 'y-websocket' }, 'bitar', {
        onUpdate: (payload) => payloads.push(Uint8Array.from(payload)),
      });
      await waitUntil(() => payloads.length === 3, 10_000);
      expect(payloads.map((payload) => payload.byteLength)).toEqual([5, 300, 70_000]);
      expect(payloads.every((payload) => payload.every((byte) => byte === payload.byteLength % 251))).toBe(true);
      client.terminate();
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  }, 20_000);
});
