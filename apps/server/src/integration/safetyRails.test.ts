import { CloseCode, SyncMessageType } from '@samverkan/protocol';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { type RawClient, type StandardClient, contentOf, rawClient, standardClient, syncMessage, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

const MAX_FRAME = 1024 * 1024;

function storedContent(server: TestServer, documentId: string): Promise<unknown> {
  return server.store.updates.loadDocument(documentId).then((loaded) => {
    const doc = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
    for (const update of loaded.updates) Y.applyUpdate(doc, update.data);
    return contentOf(doc);
  });
}

/** An update that builds on one the server never saw (its dependencies are missing). */
function danglingUpdate(): Uint8Array {
  const other = new Y.Doc();
  const updates: Uint8Array[] = [];
  other.on('update', (update: Uint8Array) => updates.push(update));
  other.getText('text').insert(0, 'förlorad början ');
  other.getText('text').insert(16, 'hänger i luften');
  return updates[1] as Uint8Array;
}

async function metricsText(server: TestServer): Promise<string> {
  return (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
}

describe('safety rails on real sockets', () => {
  let server: TestServer;
  let documentId: string;
  let editor: StandardClient;
  let watcher: StandardClient;
  let round = 0;

  beforeAll(async () => {
    server = await startTestServer({ config: { maxFrameBytes: MAX_FRAME, maxBufferedBytes: 256 * 1024, metricsPort: 0 } });
    documentId = (await server.createDocument('Skyddsräcken')).id;
    editor = standardClient(server, documentId);
    watcher = standardClient(server, documentId);
    await Promise.all([editor.synced(), watcher.synced()]);
  });
  afterAll(async () => {
    editor.destroy();
    watcher.destroy();
    await server.stop();
  });

  /** Sends hostile bytes on a fresh connection; returns its close code. Then checks that all is well. */
  async function hostile(send: (client: RawClient) => void): Promise<number> {
    const before = await storedContent(server, documentId);
    const client = rawClient(`${server.wsUrl}/${documentId}`, server.headers);
    await client.open;
    await waitFor(() => client.received.length > 0, 'handshake');
    send(client);
    const { code } = await client.closed;
    // The server is up, the good clients keep syncing, and nothing hostile was stored.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const marker = `runda ${++round};`;
    editor.doc.getText('text').insert(0, marker);
    await waitFor(() => watcher.doc.getText('text').toString().startsWith(marker), 'the good clients to keep syncing');
    await server.store.updates.flush();
    const after = (await storedContent(server, documentId)) as { text: string };
    expect(after.text).toBe(marker + (before as { text: string }).text);
    expect(editor.provider.wsconnected && watcher.provider.wsconnected).toBe(true);
    return code;
  }

  it('an oversized frame closes with 1009', async () => {
    expect(await hostile((client) => client.send(new Uint8Array(MAX_FRAME + 1)))).toBe(CloseCode.messageTooBig);
  });

  it('a text frame closes with 1003', async () => {
    expect(await hostile((client) => client.ws.send('{"type":"sync"}'))).toBe(CloseCode.unsupportedData);
  });

  it('random bytes close the connection with 1002 or 1003', async () => {
    const code = await hostile((client) => client.send(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x13, 0x37])));
    expect([CloseCode.protocolError, CloseCode.unsupportedData]).toContain(code);
  });

  it('a truncated message closes with 1002', async () => {
    expect(await hostile((client) => client.send(new Uint8Array([0, SyncMessageType.update, 40, 1, 2])))).toBe(CloseCode.protocolError);
  });

  it('a varint that overflows closes with 1002', async () => {
    const overflow = new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect(await hostile((client) => client.send(overflow))).toBe(CloseCode.protocolError);
  });

  it('an update claiming 2^31 structs closes with 1003 without hanging the server', async () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 2 ** 31);
    encoding.writeVarUint(encoder, 777);
    encoding.writeVarUint(encoder, 0);
    for (let index = 0; index < 64; index++) {
      encoding.writeUint8(encoder, 10);
      encoding.writeVarUint(encoder, 1);
    }
    const started = Date.now();
    expect(await hostile((client) => client.send(syncMessage(SyncMessageType.update, encoding.toUint8Array(encoder))))).toBe(
      CloseCode.unsupportedData,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await metricsText(server)).toMatch(/samverkan_rejected_frames_total\{reason="malformed"\} [1-9]/);
  });

  it('an update with missing dependencies waits for the client’s step 2, and closes with 1003 when that does not bring them', async () => {
    const nothing = Y.encodeStateAsUpdate(new Y.Doc());
    expect(
      await hostile((client) => {
        client.send(syncMessage(SyncMessageType.update, danglingUpdate()));
        client.send(syncMessage(SyncMessageType.step2, nothing));
      }),
    ).toBe(CloseCode.unsupportedData);
    expect(await metricsText(server)).toMatch(/samverkan_rejected_frames_total\{reason="missing_dependencies"\} 1/);
  });

  it('an update whose content yjs could not read back (an embed that is not JSON) closes with 1003 and is not stored', async () => {
    const unreadable = new Uint8Array([1, 1, 1, 0, 5, 1, 1, 0x74, 1, 0x78, 0]);
    expect(await hostile((client) => client.send(syncMessage(SyncMessageType.update, unreadable)))).toBe(CloseCode.unsupportedData);
  });

  it('a client that never sends its step 2 is closed with 1003 once it holds too many updates it cannot back up', async () => {
    const dangling = syncMessage(SyncMessageType.update, danglingUpdate());
    // One over the bound (the handshake's: 256 messages).
    expect(await hostile((client) => Array.from({ length: 257 }, () => client.send(dangling)))).toBe(CloseCode.unsupportedData);
    expect(await metricsText(server)).toMatch(/samverkan_rejected_frames_total\{reason="missing_dependencies"\} 2/);
  });

  it('a client that never reads is dropped once its send buffer passes the cap; others keep syncing', async () => {
    const stalled = rawClient(`${server.wsUrl}/${documentId}`, server.headers);
    await stalled.open;
    await waitFor(() => stalled.received.length > 0, 'handshake');
    const tcp = (stalled.ws as WebSocket & { _socket: { pause(): void } })._socket;
    tcp.pause();
    const connectionsBefore = server.sync.connectionCount;
    // Kernel socket buffers on loopback absorb several MiB first; then the server's own buffer grows.
    const chunk = 512 * 1024;
    const limit = 120;
    let sent = 0;
    for (let index = 0; index < limit && server.sync.connectionCount === connectionsBefore; index++) {
      const array = editor.doc.getArray('array');
      array.push(['x'.repeat(chunk)]);
      array.delete(array.length - 1, 1); // keep the documents small; the relayed bytes still count
      sent += chunk;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitFor(() => server.sync.connectionCount === connectionsBefore - 1, 'the stalled client to be dropped');
    expect(sent).toBeLessThan(limit * chunk);
    expect(await metricsText(server)).toMatch(/samverkan_rejected_frames_total\{reason="send_buffer_full"\} 1/);
    editor.doc.getText('text').insert(0, 'efter;');
    await waitFor(() => watcher.doc.getText('text').toString().startsWith('efter;'), 'others to keep syncing');
    stalled.ws.terminate();
  });

  it('a burst of sync step 1 requests read in one turn is held to the send-buffer cap: the client that does not read is dropped', async () => {
    const big = (await server.createDocument('Stor plan')).id;
    const writer = standardClient(server, big);
    await writer.synced();
    writer.doc.getText('text').insert(0, 'x'.repeat(100 * 1024));
    await server.store.updates.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const flooder = rawClient(`${server.wsUrl}/${big}`, server.headers);
    await flooder.open;
    await waitFor(() => flooder.received.length > 0, 'handshake');
    const tcp = (flooder.ws as WebSocket & { _socket: { pause(): void; write(data: Buffer): void } })._socket;
    tcp.pause();
    const connectionsBefore = server.sync.connectionCount;
    // 100 masked frames (mask key 0) of sync step 1 with an empty state vector ([0]: no clients),
    // in one TCP write: each asks for the whole 100 KiB document, 10 MiB in all against a 256 KiB cap.
    const frame = [0x82, 0x80 | 4, 0, 0, 0, 0, 0, 0, 1, 0];
    tcp.write(Buffer.from(Array.from({ length: 100 }, () => frame).flat()));
    await waitFor(() => server.sync.connectionCount === connectionsBefore - 1, 'the flooding client to be dropped', 5000);
    expect(await metricsText(server)).toMatch(/samverkan_rejected_frames_total\{reason="send_buffer_full"\} 2/);
    // The others were not touched.
    writer.doc.getText('text').insert(0, 'efter flodet;');
    await waitFor(() => watcher.doc.getText('text').toString().length > 0 && editor.provider.wsconnected && watcher.provider.wsconnected, 'the others to stay connected');
    flooder.ws.terminate();
    writer.destroy();
  });

  it('serves /metrics with the listed series on its own port only', async () => {
    const text = await metricsText(server);
    for (const series of [
      'samverkan_connections',
      'samverkan_documents_loaded',
      'samverkan_updates_received_total',
      'samverkan_updates_relayed_total',
      'samverkan_commit_duration_seconds_bucket',
      'samverkan_commit_queue_length',
      'samverkan_rejected_frames_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(series);
    }
    expect(text).toMatch(/samverkan_connections [1-9]/);
    expect(text).toMatch(/samverkan_updates_received_total [1-9]/);
    const publicPort = await fetch(`${server.url}/metrics`);
    expect(await publicPort.text()).not.toContain('samverkan_connections');
  });
});
