import { join } from 'node:path';
import { MessageType, SyncMessageType } from '@samverkan/protocol';
import { SCHEMA_VERSION } from '@samverkan/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readDocumentFromFile } from '../store/sqlite/documentReader.js';
import { type ChildServer, createDocumentAt, startChildServer } from '../test/childServer.js';
import { ackCounts, rawClient, standardClient, syncMessage, waitFor } from '../test/clients.js';
import { makeTempDir } from '../test/tempDir.js';

/** Loads a document from the store file with a connection of this (other) process. */
function loadFromFile(dataDir: string, documentId: string): Y.Doc {
  const loaded = readDocumentFromFile(join(dataDir, 'samverkan.sqlite'), documentId);
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
  for (const update of loaded.updates) Y.applyUpdate(doc, update.data);
  return doc;
}

describe('acknowledgements, opt-in messages and the schema gate (server in a child process)', () => {
  const temp = makeTempDir();
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer(temp.path, { COMPACT_AFTER_UPDATES: '40' });
  });
  afterAll(async () => {
    server.process.kill('SIGTERM');
    await server.exited;
    temp.remove();
  });

  it('after an acknowledgement of n writes, another process loads at least those n (deletions included)', async () => {
    const documentId = await createDocumentAt(server, 'Kvittenser');
    const client = rawClient(`${server.wsUrl}/${documentId}?ack=1`, server.headers);
    await client.open;
    await waitFor(() => client.types().includes(MessageType.sync), 'server sync step 1');
    const local = new Y.Doc();
    const text = local.getText('text');
    const sent: Uint8Array[] = [];
    local.on('update', (update: Uint8Array) => sent.push(update));
    let checked = 0;
    for (let round = 0; round < 120; round++) {
      if (round % 3 === 2) text.delete(0, 1);
      else text.insert(text.length, `r${round};`);
      client.send(syncMessage(SyncMessageType.update, sent[sent.length - 1] as Uint8Array));
      if (round % 10 === 9) {
        const target = sent.length;
        await waitFor(() => (ackCounts(client.received).at(-1) ?? 0) >= target, `ack of ${target}`);
        const acked = ackCounts(client.received).at(-1) ?? 0;
        // Every write covered by the acknowledgement must already be durable.
        const expected = new Y.Doc();
        for (const update of sent.slice(0, acked)) Y.applyUpdate(expected, update);
        const stored = loadFromFile(temp.path, documentId);
        expect(stored.getText('text').toString()).toBe(expected.getText('text').toString());
        checked++;
      }
    }
    expect(checked).toBe(12);
    const counts = ackCounts(client.received);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    expect(counts.at(-1)).toBe(120);
    client.ws.close();
  });

  it('a standard client without ?ack=1 or ?schema receives only y-websocket message types', async () => {
    const documentId = await createDocumentAt(server, 'Standard');
    const raw = rawClient(`${server.wsUrl}/${documentId}`, server.headers);
    await raw.open;
    const editor = standardClient(server, documentId);
    await editor.synced();
    editor.provider.awareness.setLocalStateField('user', { name: 'x' });
    for (let index = 0; index < 20; index++) editor.doc.getText('text').insert(0, 'a');
    await waitFor(() => raw.types().filter((type) => type === MessageType.sync).length >= 3, 'relayed updates');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(raw.types().every((type) => type === MessageType.sync || type === MessageType.awareness)).toBe(true);
    raw.ws.close();
    editor.destroy();
  });

  it('a connection announcing an older schema gets the announcement and its writes are neither stored nor relayed', async () => {
    const documentId = await createDocumentAt(server, 'Gammal flik');
    const watcher = standardClient(server, documentId);
    await watcher.synced();
    const outdated = rawClient(`${server.wsUrl}/${documentId}?schema=${SCHEMA_VERSION - 1}&ack=1`, server.headers);
    await outdated.open;
    await waitFor(() => outdated.types().includes(MessageType.serverInfo), 'server announcement');
    const info = outdated.received.find((message) => message[0] === MessageType.serverInfo) as Uint8Array;
    expect(info[1]).toBe(SCHEMA_VERSION);

    const old = new Y.Doc();
    old.getText('text').insert(0, 'från en gammal flik');
    outdated.send(syncMessage(SyncMessageType.update, Y.encodeStateAsUpdate(old)));
    // A current client's write after it proves the server processed the old one.
    watcher.doc.getText('text').insert(0, 'ny');
    const current = rawClient(`${server.wsUrl}/${documentId}?schema=${SCHEMA_VERSION}`, server.headers);
    await current.open;
    await waitFor(() => current.types().includes(MessageType.serverInfo), 'announcement to a current client');
    expect((current.received.find((message) => message[0] === MessageType.serverInfo) as Uint8Array)[1]).toBe(SCHEMA_VERSION);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.doc.getText('text').toString()).toBe('ny');
    expect(loadFromFile(temp.path, documentId).getText('text').toString()).toBe('ny');
    expect(ackCounts(outdated.received)).toEqual([]);
    expect(outdated.ws.readyState).toBe(outdated.ws.OPEN); // not closed, so it does not reconnect in a loop
    outdated.ws.close();
    current.ws.close();
    watcher.destroy();
  });
});
