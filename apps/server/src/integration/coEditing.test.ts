import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readDocumentFromFile } from '../store/sqlite/documentReader.js';
import { contentOf, randomEdit, referenceDoc, seededRandom, standardClient, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';
import type { SqliteStore } from '../store/sqlite/SqliteStore.js';

function loadStored(filename: string, documentId: string): Y.Doc {
  const loaded = readDocumentFromFile(filename, documentId);
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
  for (const update of loaded.updates) Y.applyUpdate(doc, update.data);
  return doc;
}

describe('co-editing with standard y-websocket clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('two clients converge on the reference of every local update through 2,000 random edits', async () => {
    const { id } = await server.createDocument('Samredigering');
    const a = standardClient(server, id);
    const b = standardClient(server, id);
    await Promise.all([a.synced(), b.synced()]);
    const initial = Y.encodeStateAsUpdate(a.doc);
    const random = seededRandom(20261128);
    for (let edit = 0; edit < 2000; edit++) {
      const [client, tag] = random() < 0.5 ? [a, 'a'] : [b, 'b'];
      randomEdit(client.doc, random, tag);
      if (edit % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const reference = referenceDoc([initial, ...a.localUpdates, ...b.localUpdates]);
    const expected = Y.encodeStateVector(reference);
    await waitFor(
      () =>
        Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(expected)) &&
        Buffer.from(Y.encodeStateVector(b.doc)).equals(Buffer.from(expected)),
      'both clients to reach the reference state',
      30_000,
    );
    expect(contentOf(a.doc)).toEqual(contentOf(reference));
    expect(contentOf(b.doc)).toEqual(contentOf(reference));
    // No duplicated content: every array item a client inserted appears at most once.
    const items = a.doc.getArray<string>('array').toArray();
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items).size).toBe(items.length);
    expect(a.doc.getText('text').toString()).toBe(reference.getText('text').toString());

    await server.store.updates.flush();
    const stored = loadStored((server.store as SqliteStore).filename, id);
    expect(contentOf(stored)).toEqual(contentOf(reference));
    a.destroy();
    b.destroy();
  });

  it('typing as the connection returns, after edits made offline, keeps the connection and loses nothing', async () => {
    const { id } = await server.createDocument('Återkomst');
    const a = standardClient(server, id);
    const b = standardClient(server, id);
    await Promise.all([a.synced(), b.synced()]);
    const closes: number[] = [];
    a.provider.on('connection-close', (event: { code: number } | null) => {
      if (event) closes.push(event.code);
    });
    a.provider.disconnect();
    const text = a.doc.getText('text');
    text.insert(0, 'skrivet utan nät; ');
    // The moment the socket opens (before the server's sync step 1 and so before this side's
    // step 2 with the offline edit), more is typed: y-websocket sends it at once as an update
    // that builds on the offline edit.
    a.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected' && !text.toString().includes('direkt')) text.insert(text.length, 'skrivet direkt');
    });
    a.provider.connect();
    await waitFor(() => b.doc.getText('text').toString() === 'skrivet utan nät; skrivet direkt', 'both edits to reach the other client', 5000);
    expect(closes).toEqual([]);
    await server.store.updates.flush();
    const stored = loadStored((server.store as SqliteStore).filename, id);
    expect(stored.getText('text').toString()).toBe('skrivet utan nät; skrivet direkt');
    a.destroy();
    b.destroy();
  });
});
