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
});
