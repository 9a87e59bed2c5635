import type { AddressInfo } from 'node:net';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { BenchClient } from './client.js';
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
});
