import { MessageType, SyncMessageType } from '@samverkan/protocol';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { contentOf, rawClient, standardClient, syncMessage, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

/** Valid messages a client could send, as seeds for mutation. */
function validMessages(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  doc.getText('text').insert(0, 'fuzz ');
  doc.getMap('map').set('k', { a: [1, 2] });
  doc.getArray('array').push(['x', 'y']);
  doc.getText('text').delete(0, 2);
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ cursor: 3, user: 'fuzz' });
  const awarenessMessage = encoding.createEncoder();
  encoding.writeVarUint(awarenessMessage, MessageType.awareness);
  encoding.writeVarUint8Array(awarenessMessage, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
  awareness.destroy();
  return [
    ...updates.map((update) => syncMessage(SyncMessageType.update, update)),
    syncMessage(SyncMessageType.step2, Y.encodeStateAsUpdate(doc)),
    syncMessage(SyncMessageType.step1, Y.encodeStateVector(doc)),
    encoding.toUint8Array(awarenessMessage),
    new Uint8Array([MessageType.queryAwareness]),
  ];
}

function mutate(seed: Uint8Array, edits: { kind: number; at: number; value: number }[]): Uint8Array {
  let bytes = Array.from(seed);
  for (const edit of edits) {
    const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
    if (edit.kind === 0) bytes[at] = edit.value;
    else if (edit.kind === 1) bytes.splice(at, 0, edit.value);
    else if (edit.kind === 2) bytes.splice(at, 1);
    else bytes = bytes.slice(0, at);
  }
  return new Uint8Array(bytes);
}

describe('fuzzing one connection while a well-behaved client edits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('nothing escapes the fuzzing connection; the good client stays connected and equals the store; an untouched document is unchanged', async () => {
    const fuzzed = (await server.createDocument('Fuzz')).id;
    const untouched = (await server.createDocument('Orörd')).id;
    const bystander = standardClient(server, untouched);
    await bystander.synced();
    bystander.doc.getText('text').insert(0, 'Denna plan rörs inte.');
    await waitFor(() => server.store.commitQueueLength() === 0, 'commit');
    bystander.destroy();
    await waitFor(() => !server.sync.isLoaded(untouched), 'unload of the untouched document');
    await server.store.updates.flush();
    const untouchedBefore = await server.store.updates.loadDocument(untouched);

    const good = standardClient(server, fuzzed);
    let goodClosures = 0;
    good.provider.on('connection-close', () => goodClosures++);
    await good.synced();
    let edits = 0;
    const editing = setInterval(() => good.doc.getText('text').insert(0, `${edits++};`), 15);

    const seeds = validMessages();
    const hostileMessage = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 300 }),
      fc
        .tuple(
          fc.integer({ min: 0, max: seeds.length - 1 }),
          fc.array(
            fc.record({ kind: fc.integer({ min: 0, max: 3 }), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
            { minLength: 1, maxLength: 4 },
          ),
        )
        .map(([index, mutations]) => mutate(seeds[index] as Uint8Array, mutations)),
    );
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileMessage, { minLength: 1, maxLength: 4 }), async (messages) => {
          const fuzzer = rawClient(`${server.wsUrl}/${fuzzed}`, server.headers);
          await fuzzer.open;
          for (const message of messages) if (fuzzer.ws.readyState === fuzzer.ws.OPEN) fuzzer.send(message);
          await Promise.race([fuzzer.closed, new Promise((resolve) => setTimeout(resolve, 30))]);
          fuzzer.ws.terminate();
          return (await fetch(`${server.url}/api/health`)).status === 200;
        }),
        { numRuns: 150, seed: 20261128 },
      );
    } finally {
      clearInterval(editing);
    }
    expect(edits).toBeGreaterThan(10);
    expect(goodClosures).toBe(0);
    expect(good.provider.wsconnected).toBe(true);

    // The good client's state equals a fresh load from the store.
    await server.store.updates.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const loaded = await server.store.updates.loadDocument(fuzzed);
    const fresh = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(fresh, loaded.snapshot);
    for (const update of loaded.updates) Y.applyUpdate(fresh, update.data);
    await waitFor(
      () => Buffer.from(Y.encodeStateVector(good.doc)).equals(Buffer.from(Y.encodeStateVector(fresh))),
      'the good client to equal the store',
    );
    expect(contentOf(good.doc)).toEqual(contentOf(fresh));
    good.destroy();

    // The untouched document is unchanged byte for byte.
    expect(await server.store.updates.loadDocument(untouched)).toEqual(untouchedBefore);
  });
});
