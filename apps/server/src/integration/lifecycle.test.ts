import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LISTEN_BACKLOG } from '../server.js';
import { SqliteStore } from '../store/sqlite/SqliteStore.js';
import { contentOf, randomEdit, referenceDoc, seededRandom, standardClient, waitFor } from '../test/clients.js';
import { countingStore } from '../test/countingStore.js';
import { makeTempDir } from '../test/tempDir.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

describe('document lifecycle on a real server', () => {
  const temp = makeTempDir();
  let server: TestServer;
  let loads: Map<string, number>;
  beforeAll(async () => {
    const counted = countingStore(new SqliteStore({ dataDir: temp.path }));
    loads = counted.loads;
    server = await startTestServer({ dataDir: temp.path, start: { store: counted.store } });
  });
  afterAll(async () => {
    await server.stop();
    temp.remove();
  });

  it('listens with a deep accept queue, so a reconnect storm is not held back by dropped SYNs', () => {
    // `ss` shows a listening socket's backlog in its Send-Q column.
    const line = execFileSync('ss', ['-ltnH', `sport = :${server.port}`], { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
    const backlog = Number(line.trim().split(/\s+/)[2]);
    const cap = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    expect(backlog).toBe(Math.min(LISTEN_BACKLOG, cap));
    expect(backlog).toBeGreaterThan(511); // Node's default
  });

  it('50 clients joining a cold document at the same moment get the same state; the store is read once', async () => {
    const { id } = await server.createDocument('Kall start');
    // Put some content in, then let the document unload so the next join is cold.
    const seed = standardClient(server, id);
    await seed.synced();
    seed.doc.getText('text').insert(0, 'Norrbotten');
    seed.doc.getMap('map').set('kommuner', 14);
    await waitFor(() => Y.encodeStateVector(seed.doc).length > 0, 'edit');
    await server.store.updates.flush();
    seed.destroy();
    await waitFor(() => !server.sync.isLoaded(id), 'the document to unload');
    const loadsBefore = loads.get(id) ?? 0;

    const clients = Array.from({ length: 50 }, () => standardClient(server, id));
    await Promise.all(clients.map((client) => client.synced()));
    expect((loads.get(id) ?? 0) - loadsBefore).toBe(1);
    const expected = JSON.stringify(contentOf(clients[0]!.doc));
    expect(contentOf(clients[0]!.doc)).toMatchObject({ text: 'Norrbotten', map: { kommuner: 14 } });
    for (const client of clients) expect(JSON.stringify(contentOf(client.doc))).toBe(expected);
    clients.forEach((client) => client.destroy());
    await waitFor(() => !server.sync.isLoaded(id), 'the document to unload after the last client left');
  });

  it('5 clients editing while disconnected and reconnected at random converge with the store on the reference', async () => {
    const { id } = await server.createDocument('Ostadig uppkoppling');
    const clients = Array.from({ length: 5 }, () => standardClient(server, id));
    await Promise.all(clients.map((client) => client.synced()));
    const initial = Y.encodeStateAsUpdate(clients[0]!.doc);
    const random = seededRandom(687);
    for (let step = 0; step < 600; step++) {
      const index = Math.floor(random() * clients.length);
      const client = clients[index]!;
      const roll = random();
      if (roll < 0.05) {
        if (client.provider.shouldConnect) client.provider.disconnect();
        else client.provider.connect();
      } else {
        randomEdit(client.doc, random, `c${index}`);
      }
      if (step % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(random() * 20)));
    }
    for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();
    const reference = referenceDoc([initial, ...clients.flatMap((client) => client.localUpdates)]);
    const expected = Buffer.from(Y.encodeStateVector(reference));
    await waitFor(
      () => clients.every((client) => Buffer.from(Y.encodeStateVector(client.doc)).equals(expected)),
      'every client to reach the reference state',
      30_000,
    );
    for (const client of clients) expect(contentOf(client.doc)).toEqual(contentOf(reference));
    clients.forEach((client) => client.destroy());
    await waitFor(() => !server.sync.isLoaded(id), 'unload');
    const fresh = standardClient(server, id);
    await fresh.synced();
    expect(contentOf(fresh.doc)).toEqual(contentOf(reference));
    fresh.destroy();
  });

  it('applyServerChange reaches connected clients and the store on a loaded document', async () => {
    const { id } = await server.createDocument('Serverändring');
    const client = standardClient(server, id);
    await client.synced();
    await server.sync.applyServerChange(id, (doc) => doc.getMap('map').set('mall', 'Klimatfärdplan'));
    await waitFor(() => client.doc.getMap('map').get('mall') === 'Klimatfärdplan', 'the change to reach the client');
    const loaded = await server.store.updates.loadDocument(id);
    const stored = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(stored, loaded.snapshot);
    for (const update of loaded.updates) Y.applyUpdate(stored, update.data);
    expect(stored.getMap('map').get('mall')).toBe('Klimatfärdplan');
    client.destroy();
  });

  it('applyServerChange on an unloaded document is stored, then seen by the next client; the document unloads again', async () => {
    const { id } = await server.createDocument('Avlastat');
    await waitFor(() => !server.sync.isLoaded(id), 'unloaded');
    await server.sync.applyServerChange(id, (doc) => doc.getArray('array').push(['antagen åtgärd']));
    await waitFor(() => !server.sync.isLoaded(id), 'unloaded after the change');
    const client = standardClient(server, id);
    await client.synced();
    expect(client.doc.getArray('array').toArray()).toEqual(['antagen åtgärd']);
    // A second client connected meanwhile also receives a later server change live.
    await server.sync.applyServerChange(id, (doc) => doc.getArray('array').push(['andra']));
    await waitFor(() => client.doc.getArray('array').length === 2, 'live server change');
    client.destroy();
  });
});
