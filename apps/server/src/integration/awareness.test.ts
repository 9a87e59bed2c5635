import { MessageType } from '@samverkan/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, createDocumentAt, startChildServer } from '../test/childServer.js';
import { type RawClient, awarenessUpdate, rawClient, waitFor } from '../test/clients.js';
import { makeTempDir } from '../test/tempDir.js';

const CLIENTS = 100;
const MOVES_PER_SECOND = 10;
const SECONDS = 3;

interface Peer {
  clientId: number;
  socket: RawClient;
  clock: number;
  awarenessMessages: number;
  /** Per other client: latest clock seen and when. */
  seen: Map<number, { clock: number; at: number; sentAt: number }>;
}

function awarenessMessage(clientId: number, clock: number, state: object): Uint8Array {
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, MessageType.awareness);
  encoding.writeVarUint8Array(message, awarenessUpdate(clientId, clock, state));
  return encoding.toUint8Array(message);
}

describe('awareness in a crowded meeting (server in a child process)', () => {
  const temp = makeTempDir();
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer(temp.path);
  });
  afterAll(async () => {
    server.process.kill('SIGTERM');
    await server.exited;
    temp.remove();
  });

  it('100 clients moving cursors 10 times a second: at most ~20 awareness messages a second each, every latest state seen within 200 ms', async () => {
    const documentId = await createDocumentAt(server, 'Nätverksträff');
    const peers: Peer[] = [];
    for (let index = 0; index < CLIENTS; index++) {
      const socket = rawClient(`${server.wsUrl}/${documentId}`, server.headers);
      const peer: Peer = { clientId: 1000 + index, socket, clock: 0, awarenessMessages: 0, seen: new Map() };
      socket.ws.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(decoder) !== MessageType.awareness) return;
        peer.awarenessMessages++;
        const now = Date.now();
        const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
        const count = decoding.readVarUint(update);
        for (let entry = 0; entry < count; entry++) {
          const clientId = decoding.readVarUint(update);
          const clock = decoding.readVarUint(update);
          const state = JSON.parse(decoding.readVarString(update)) as { sentAt: number } | null;
          const known = peer.seen.get(clientId);
          if (state && (!known || clock > known.clock)) peer.seen.set(clientId, { clock, at: now, sentAt: state.sentAt });
        }
      });
      peers.push(peer);
    }
    await Promise.all(peers.map((peer) => peer.socket.open));
    await waitFor(() => peers.every((peer) => peer.socket.received.length > 0), 'every handshake');

    const counted = peers.map((peer) => peer.awarenessMessages);
    const started = Date.now();
    const timers = peers.map((peer, index) =>
      setTimeout(() => {
        const interval = setInterval(() => {
          peer.clock++;
          peer.socket.send(awarenessMessage(peer.clientId, peer.clock, { cursor: peer.clock, sentAt: Date.now() }));
          if (peer.clock >= MOVES_PER_SECOND * SECONDS) clearInterval(interval);
        }, 1000 / MOVES_PER_SECOND);
      }, (index * 7) % 100),
    );
    await waitFor(() => peers.every((peer) => peer.clock >= MOVES_PER_SECOND * SECONDS), 'all moves sent', 20_000);
    const lastSent = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const elapsed = (lastSent - started) / 1000;
    timers.forEach(clearTimeout);

    const rates = peers.map((peer, index) => (peer.awarenessMessages - (counted[index] ?? 0)) / elapsed);
    expect(Math.max(...rates)).toBeLessThanOrEqual(22);
    expect(Math.min(...rates)).toBeGreaterThan(5);

    let worstDelay = 0;
    for (const receiver of peers) {
      for (const sender of peers) {
        if (sender === receiver) continue;
        const seen = receiver.seen.get(sender.clientId);
        expect(seen?.clock).toBe(sender.clock);
        worstDelay = Math.max(worstDelay, (seen?.at ?? Infinity) - (seen?.sentAt ?? 0));
      }
    }
    expect(worstDelay).toBeLessThanOrEqual(200);
    peers.forEach((peer) => peer.socket.ws.close());
  }, 60_000);
});
