import { CloseCode, SyncMessageType } from '@samverkan/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Store } from '../store/ports.js';
import { SqliteStore } from '../store/sqlite/SqliteStore.js';
import { contentOf, syncMessage, waitFor } from '../test/clients.js';
import { MemorySocket } from '../test/memorySocket.js';
import { blockJournal } from '../test/blockJournal.js';
import { countingStore } from '../test/countingStore.js';
import { makeTempDir } from '../test/tempDir.js';
import { createCatalogExtension } from './extensions/catalog.js';
import { createPersistenceExtension } from './extensions/persistence.js';
import type { Extension } from './Extension.js';
import { SyncServer } from './SyncServer.js';

const log = pino({ level: 'silent' });
const COUNT = Number(process.env.BIG_COUNT ?? 100_000);

function replay(loaded: { snapshot: Uint8Array | null; updates: { data: Uint8Array }[] }): Y.Doc {
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
  for (const update of loaded.updates) Y.applyUpdate(doc, update.data);
  return doc;
}

describe('SyncServer core (no network)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: SqliteStore;
  let sync: SyncServer;

  /** A sync core over `s` with the catalogue and persistence extensions (or `extensions`). */
  const makeSync = (s: Store, options: { restAfterMs?: number; extensions?: Extension[] } = {}) =>
    new SyncServer({
      log,
      schemaVersion: 1,
      build: 'test',
      ...options,
      limits: { messagesPerSecond: 1e9, messageBurst: 1e9 },
      extensions: options.extensions ?? [createCatalogExtension(s, log), createPersistenceExtension(s, log)],
    });

  const catalogue = async (id: string, into: Store = store) =>
    into.documents.create({
      id,
      type: 'plan',
      title: id,
      visibility: 'private',
      ownerOrganisationId: null,
      createdBy: null,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });

  /** A connection to `documentId` that asks for acknowledgements, once its handshake is done. */
  const openAcked = async (server: SyncServer, documentId: string) => {
    const socket = new MemorySocket();
    const handle = server.connect(socket, { documentId, params: new URLSearchParams('ack=1'), headers: {} });
    await waitFor(() => handle.connection.state === 'open', 'handshake');
    return { socket, handle };
  };

  /** A client's own Y.Doc and the updates it made, in order. */
  const recording = () => {
    const local = new Y.Doc();
    const updates: Uint8Array[] = [];
    local.on('update', (update: Uint8Array) => updates.push(update));
    return { local, updates };
  };

  beforeEach(() => {
    temp = makeTempDir();
    store = new SqliteStore({ dataDir: temp.path });
    sync = makeSync(store);
  });
  afterEach(async () => {
    await sync.close();
    await store.close();
    temp.remove();
  });

  it('refuses a document that is not in the catalogue with 4404 and sends no bytes', async () => {
    const socket = new MemorySocket();
    sync.connect(socket, { documentId: 'unknown', params: new URLSearchParams(), headers: {} });
    await waitFor(() => socket.closedWith !== null, 'close');
    expect(socket.closedWith?.code).toBe(CloseCode.notFound);
    expect(socket.sent).toEqual([]);
    expect(sync.isLoaded('unknown')).toBe(false);
  });

  it('a document with 100,000 stored updates loads from a snapshot plus a short tail', async () => {
    await catalogue('stor');
    const { handle } = await openAcked(sync, 'stor');
    const local = new Y.Doc();
    let last: Uint8Array = new Uint8Array();
    local.on('update', (update: Uint8Array) => {
      last = update;
    });
    const text = local.getText('text');
    for (let index = 0; index < COUNT; index++) {
      text.insert(text.length, String(index % 10));
      handle.receive(syncMessage(SyncMessageType.update, last));
      if (index % 5000 === 4999) await sync.applyServerChange('stor', () => undefined); // let commits run
    }
    await waitFor(() => handle.connection.committedWrites === COUNT, 'all writes committed', 120_000);
    handle.closed();
    await waitFor(() => !sync.isLoaded('stor'), 'unload', 30_000);
    // The compaction the unload asked for finishes in the store, without holding the unload.
    let loaded = await store.updates.loadDocument('stor');
    await waitFor(async () => (loaded = await store.updates.loadDocument('stor')).updates.length < 1000, 'compaction after unload', 60_000);
    expect(loaded.snapshot).not.toBeNull();
    expect(loaded.updates.length).toBeLessThan(1000);
    expect(replay(loaded).getText('text').toString()).toBe(text.toString());
  }, 180_000);

  it('an unload does not wait for the compaction it asks of the store, so a reconnect does not either', async () => {
    await catalogue('kompakt');
    // The store's compactions are held until released (as a busy compactor thread holds them).
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const compactInStore = store.updates.compactInStore!.bind(store.updates);
    let asked = 0;
    store.updates.compactInStore = async (documentId, upToSeq) => {
      asked++;
      await held;
      return compactInStore(documentId, upToSeq);
    };
    try {
      const { handle } = await openAcked(sync, 'kompakt');
      const { local, updates } = recording();
      // 300 writes: at least half the default 500 that the unload compacts at, below the 500 that compact on their own.
      for (let index = 0; index < 300; index++) {
        local.getText('text').insert(index, 'å');
        handle.receive(syncMessage(SyncMessageType.update, updates.at(-1)!));
      }
      await waitFor(() => handle.connection.committedWrites === 300, 'writes committed');
      handle.closed();
      await waitFor(() => !sync.isLoaded('kompakt'), 'unload while the compaction is held');
      expect(asked).toBe(1);
      // Loaded again (as a reconnect loads it) while the compaction is still held, with every
      // write, and written to.
      expect(await sync.readDocument('kompakt', (doc) => doc.getText('text').toString())).toBe(local.getText('text').toString());
      await sync.applyServerChange('kompakt', (doc) => doc.getText('text').insert(0, 'X'));
      await waitFor(() => !sync.isLoaded('kompakt'), 'unload after the server change');
      release();
      // Released, the compactions go through: the whole tail, the later write too, in a snapshot.
      let loaded = await store.updates.loadDocument('kompakt');
      await waitFor(async () => (loaded = await store.updates.loadDocument('kompakt')).updates.length === 0, 'compacted once released');
      expect(loaded.snapshot).not.toBeNull();
      expect(replay(loaded).getText('text').toString()).toBe(`X${local.getText('text').toString()}`);
    } finally {
      release();
    }
  });

  it('a long tail left by a crash is loaded and compacted at once', async () => {
    await catalogue('svans');
    const { local, updates } = recording();
    for (let index = 0; index < 5000; index++) local.getArray('array').push([index]);
    // Appended without the sync layer, as if the server died before compacting.
    for (let start = 0; start < updates.length; start += 500) {
      await store.updates.appendUpdates('svans', updates.slice(start, start + 500));
    }
    expect((await store.updates.loadDocument('svans')).updates).toHaveLength(5000);
    const socket = new MemorySocket();
    const handle = sync.connect(socket, { documentId: 'svans', params: new URLSearchParams(), headers: {} });
    await waitFor(() => handle.connection.state === 'open', 'handshake');
    await waitFor(() => (store.health().ok && sync.isLoaded('svans')), 'loaded');
    let loaded = await store.updates.loadDocument('svans');
    await waitFor(() => {
      void store.updates.loadDocument('svans').then((current) => (loaded = current));
      return loaded.updates.length === 0;
    }, 'compaction after load');
    expect(loaded.snapshotSeq).toBeGreaterThan(0);
    expect(replay(loaded).getArray('array').length).toBe(5000);
    handle.closed();
  });

  it('unloads only after the last client left and its writes are durable', async () => {
    // A store of its own whose every commit starts a journal segment (see blockJournal).
    const slowTemp = makeTempDir();
    const slowStore = new SqliteStore({ dataDir: slowTemp.path, journalSegmentBytes: 1 });
    await catalogue('spola', slowStore);
    const slowSync = makeSync(slowStore);
    let unblock = (): void => undefined;
    try {
      const socket = new MemorySocket();
      const handle = slowSync.connect(socket, { documentId: 'spola', params: new URLSearchParams(), headers: {} });
      await waitFor(() => handle.connection.state === 'open', 'handshake');
      unblock = blockJournal(slowTemp.path);
      const local = new Y.Doc();
      local.getText('text').insert(0, 'får inte försvinna');
      handle.receive(syncMessage(SyncMessageType.update, Y.encodeStateAsUpdate(local)));
      handle.closed();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(slowSync.isLoaded('spola')).toBe(true); // the write is not durable yet
      expect(slowStore.health().ok).toBe(false);
      unblock();
      await waitFor(() => !slowSync.isLoaded('spola'), 'unload after the flush');
      expect(replay(await slowStore.updates.loadDocument('spola')).getText('text').toString()).toBe('får inte försvinna');
    } finally {
      unblock();
      await slowSync.close();
      await slowStore.close();
      slowTemp.remove();
    }
  });

  it('loads a document opened again during its unload only after the unload hooks finished', async () => {
    await catalogue('igen');
    const events: string[] = [];
    let releaseUnload = (): void => undefined;
    const gate: Extension = {
      name: 'gate',
      load: async () => {
        events.push('load');
      },
      unload: async () => {
        events.push('unload:start');
        // Only the first unload is held back (the one at close goes straight through).
        if (events.filter((event) => event === 'unload:start').length === 1) await new Promise<void>((resolve) => (releaseUnload = resolve));
        events.push('unload:end');
      },
    };
    const gated = new SyncServer({
      log,
      schemaVersion: 1,
      build: 'test',
      limits: { messagesPerSecond: 1e9, messageBurst: 1e9 },
      extensions: [createCatalogExtension(store, log), gate, createPersistenceExtension(store, log)],
    });
    try {
      const first = gated.connect(new MemorySocket(), { documentId: 'igen', params: new URLSearchParams(), headers: {} });
      await waitFor(() => first.connection.state === 'open', 'first handshake');
      first.closed();
      await waitFor(() => events.includes('unload:start'), 'the unload to start');
      const second = gated.connect(new MemorySocket(), { documentId: 'igen', params: new URLSearchParams(), headers: {} });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events).toEqual(['load', 'unload:start']);
      expect(second.connection.state).toBe('handshaking');
      releaseUnload();
      await waitFor(() => second.connection.state === 'open', 'second handshake');
      expect(events).toEqual(['load', 'unload:start', 'unload:end', 'load']);
    } finally {
      releaseUnload();
      await gated.close();
    }
  });

  it('relays a write to other connections only after it is durable', async () => {
    // A store of its own whose every commit starts a journal segment (see blockJournal).
    const slowTemp = makeTempDir();
    const slowStore = new SqliteStore({ dataDir: slowTemp.path, journalSegmentBytes: 1 });
    await catalogue('ordning', slowStore);
    const slowSync = makeSync(slowStore);
    let unblock = (): void => undefined;
    try {
      const writer = slowSync.connect(new MemorySocket(), { documentId: 'ordning', params: new URLSearchParams(), headers: {} });
      const readerSocket = new MemorySocket();
      const reader = slowSync.connect(readerSocket, { documentId: 'ordning', params: new URLSearchParams(), headers: {} });
      await waitFor(() => writer.connection.state === 'open' && reader.connection.state === 'open', 'handshakes');
      const before = readerSocket.sent.length;
      unblock = blockJournal(slowTemp.path);
      const local = new Y.Doc();
      local.getText('text').insert(0, 'hållbar');
      writer.receive(syncMessage(SyncMessageType.update, Y.encodeStateAsUpdate(local)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(readerSocket.sent.length).toBe(before);
      unblock();
      await waitFor(() => readerSocket.sent.length > before, 'relay after commit');
      writer.closed();
      reader.closed();
    } finally {
      unblock();
      await slowSync.close();
      await slowStore.close();
      slowTemp.remove();
    }
  });

  it('an idle room holds no awareness until someone publishes presence, and a connection drops its request after the handshake', async () => {
    await catalogue('tyst');
    const sockets = [new MemorySocket(), new MemorySocket()];
    const handles = sockets.map((socket) =>
      sync.connect(socket, { documentId: 'tyst', params: new URLSearchParams(), headers: { cookie: 'samverkan_session=hemlig' } }),
    );
    await waitFor(() => handles.every((handle) => handle.connection.state === 'open'), 'handshakes');
    expect(handles.map((handle) => handle.connection.request)).toEqual([null, null]);
    const room = sync.roomOf('tyst');
    expect(room?.hasPresence).toBe(false);
    // Presence from one client reaches the other, and the awareness now exists.
    const presence = new Y.Doc();
    const awareness = new Awareness(presence);
    awareness.setLocalState({ cursor: 1 });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [presence.clientID]));
    const before = sockets[1]!.sent.length;
    handles[0]!.receive(encoding.toUint8Array(encoder));
    expect(room?.hasPresence).toBe(true);
    await waitFor(() => sockets[1]!.sent.length > before, 'presence relayed');
    const seen = new Awareness(new Y.Doc());
    const applyAwarenessSent = (from: number) => {
      for (const message of sockets[1]!.sent.slice(from)) {
        const decoder = decoding.createDecoder(message);
        if (decoding.readVarUint(decoder) === 1) applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), 'server');
      }
    };
    applyAwarenessSent(0);
    expect(seen.getStates().get(presence.clientID)).toMatchObject({ cursor: 1 });
    // The publisher leaves: the others are told its state is gone.
    const beforeLeaving = sockets[1]!.sent.length;
    handles[0]!.closed();
    await waitFor(() => sockets[1]!.sent.length > beforeLeaving, 'removal relayed');
    applyAwarenessSent(beforeLeaving);
    expect(seen.getStates().has(presence.clientID)).toBe(false);
    seen.destroy();
    awareness.destroy();
    handles[1]!.closed();
  });

  it('an idle room holds its document encoded, answers sync from it, and makes the Y.Doc again for a write', async () => {
    const restful = makeSync(store, { restAfterMs: 100 });
    try {
      await catalogue('vila');
      const seed = new Y.Doc();
      const seedUpdates: Uint8Array[] = [];
      seed.on('update', (update: Uint8Array) => seedUpdates.push(update));
      seed.getText('text').insert(0, 'Norrbotten');
      seed.getMap('meta').set('kommuner', 14);
      await restful.applyServerChange('vila', (doc) => Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed)));
      await waitFor(() => !restful.isLoaded('vila'), 'unload after the server change');
      /** The updates of the sync messages a socket received from `from` on (step 2 and update). */
      const updatesSent = (socket: MemorySocket, from = 0): Uint8Array[] =>
        socket.sent.slice(from).flatMap((message) => {
          const decoder = decoding.createDecoder(message);
          if (decoding.readVarUint(decoder) !== 0) return [];
          const syncType = decoding.readVarUint(decoder);
          return syncType === SyncMessageType.step1 ? [] : [decoding.readVarUint8Array(decoder)];
        });

      // A client with nothing gets the whole state; the room stays at rest.
      const { socket: emptySocket, handle: empty } = await openAcked(restful, 'vila');
      const room = restful.roomOf('vila');
      expect(room?.atRest).toBe(true);
      const first = emptySocket.sent[0]!;
      expect(first.subarray(0, 2)).toEqual(new Uint8Array([0, SyncMessageType.step1]));
      expect(decoding.readVarUint8Array(decoding.createDecoder(first.subarray(2)))).toEqual(Y.encodeStateVector(seed));
      empty.receive(syncMessage(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
      empty.receive(syncMessage(SyncMessageType.step2, Y.encodeStateAsUpdate(new Y.Doc()))); // nothing new from it
      const emptyDoc = new Y.Doc();
      await waitFor(() => updatesSent(emptySocket).length === 1, 'sync step 2');
      Y.applyUpdate(emptyDoc, updatesSent(emptySocket)[0]!);
      expect(contentOf(emptyDoc)).toEqual(contentOf(seed));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(room?.atRest).toBe(true);

      // A client that has part of it gets only the rest.
      const { socket: partSocket, handle: part } = await openAcked(restful, 'vila');
      const partDoc = new Y.Doc();
      Y.applyUpdate(partDoc, seedUpdates[0]!);
      part.receive(syncMessage(SyncMessageType.step1, Y.encodeStateVector(partDoc)));
      await waitFor(() => updatesSent(partSocket).length === 1, 'sync step 2');
      const difference = updatesSent(partSocket)[0]!;
      expect(difference.byteLength).toBeLessThan(Y.encodeStateAsUpdate(seed).byteLength);
      Y.applyUpdate(partDoc, difference);
      expect(contentOf(partDoc)).toEqual(contentOf(seed));
      expect(room?.atRest).toBe(true);

      // A write (depending on what is stored) makes the document live, is stored and relayed.
      const relayedBefore = partSocket.sent.length;
      const edits: Uint8Array[] = [];
      emptyDoc.on('update', (update: Uint8Array) => edits.push(update));
      emptyDoc.getText('text').insert(10, ' och Kalix');
      empty.receive(syncMessage(SyncMessageType.update, edits.at(-1)!));
      await waitFor(() => empty.connection.committedWrites === 2, 'write committed');
      expect(room?.atRest).toBe(false);
      await waitFor(() => updatesSent(partSocket, relayedBefore).length === 1, 'relay');
      Y.applyUpdate(partDoc, updatesSent(partSocket, relayedBefore)[0]!);
      expect(partDoc.getText('text').toString()).toBe('Norrbotten och Kalix');

      // Unused for its rest interval: encoded again, with the write; a late joiner gets it all.
      await waitFor(() => room?.atRest === true, 'back at rest', 2000);
      const { socket: lateSocket, handle: late } = await openAcked(restful, 'vila');
      late.receive(syncMessage(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
      await waitFor(() => updatesSent(lateSocket).length === 1, 'sync step 2');
      const lateDoc = new Y.Doc();
      Y.applyUpdate(lateDoc, updatesSent(lateSocket)[0]!);
      expect(lateDoc.getText('text').toString()).toBe('Norrbotten och Kalix');

      // A write after rest is checked against the state made again (its dependencies are known).
      const partEdits: Uint8Array[] = [];
      partDoc.on('update', (update: Uint8Array) => partEdits.push(update));
      partDoc.getText('text').insert(0, 'Hela ');
      part.receive(syncMessage(SyncMessageType.update, partEdits.at(-1)!));
      await waitFor(() => part.connection.committedWrites === 1, 'write after rest committed');
      expect(partSocket.closedWith).toBeNull();
      await waitFor(() => updatesSent(lateSocket).length === 2, 'relay to the late joiner');
      Y.applyUpdate(lateDoc, updatesSent(lateSocket)[1]!);
      expect(lateDoc.getText('text').toString()).toBe('Hela Norrbotten och Kalix');
      expect(await restful.readDocument('vila', (doc) => doc.getText('text').toString())).toBe('Hela Norrbotten och Kalix');
      // The Y.Doc made again is named after the document, not given a random UUID (Yjs draws one
      // character at a time: about 70 µs of crypto calls on every load and wake).
      expect(await restful.readDocument('vila', (doc) => doc.guid)).toBe('vila');

      for (const handle of [empty, part, late]) handle.closed();
      await waitFor(() => !restful.isLoaded('vila'), 'unload');
      expect(replay(await store.updates.loadDocument('vila')).getText('text').toString()).toBe('Hela Norrbotten och Kalix');
    } finally {
      await restful.close();
    }
  });

  it('a room never rests while its load runs, however long the store takes', async () => {
    await catalogue('seg');
    await sync.applyServerChange('seg', (doc) => doc.getText('text').insert(0, 'Haparanda'));
    await waitFor(() => !sync.isLoaded('seg'), 'unload after the server change');
    // A store whose loads take six rest intervals.
    const loadDocument = async (id: string) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return store.updates.loadDocument(id);
    };
    const slowStore = { documents: store.documents, updates: { ...store.updates, loadDocument } } as unknown as Store;
    const slow = makeSync(slowStore, { restAfterMs: 50 });
    try {
      const { socket, handle } = await openAcked(slow, 'seg');
      expect(slow.roomOf('seg')?.atRest).toBe(true);
      handle.receive(syncMessage(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
      await waitFor(() => socket.sent.length >= 2, 'sync step 2');
      const local = new Y.Doc();
      const step2 = decoding.createDecoder(socket.sent[1]!);
      expect([decoding.readVarUint(step2), decoding.readVarUint(step2)]).toEqual([0, SyncMessageType.step2]);
      Y.applyUpdate(local, decoding.readVarUint8Array(step2));
      expect(local.getText('text').toString()).toBe('Haparanda');
      // A write that depends on the loaded content is accepted.
      const edits: Uint8Array[] = [];
      local.on('update', (update: Uint8Array) => edits.push(update));
      local.getText('text').insert(9, ' och Övertorneå');
      handle.receive(syncMessage(SyncMessageType.update, edits[0]!));
      await waitFor(() => handle.connection.committedWrites === 1, 'write committed');
      expect(socket.closedWith).toBeNull();
      handle.closed();
      await waitFor(() => !slow.isLoaded('seg'), 'unload');
      expect(replay(await store.updates.loadDocument('seg')).getText('text').toString()).toBe('Haparanda och Övertorneå');
    } finally {
      await slow.close();
    }
  });

  it('relays each committed write as received, in order, one frame for every other connection', async () => {
    await catalogue('vidare');
    const writerSocket = new MemorySocket();
    const writer = sync.connect(writerSocket, { documentId: 'vidare', params: new URLSearchParams(), headers: {} });
    const readerSockets = [new MemorySocket(), new MemorySocket()];
    const readers = readerSockets.map((socket) => sync.connect(socket, { documentId: 'vidare', params: new URLSearchParams(), headers: {} }));
    await waitFor(() => [writer, ...readers].every((handle) => handle.connection.state === 'open'), 'handshakes');
    const writerBefore = writerSocket.sent.length;
    const before = readerSockets.map((socket) => socket.sent.length);
    const { local, updates } = recording();
    for (const word of ['Luleå ', 'Piteå ', 'Kiruna']) local.getText('text').insert(local.getText('text').length, word);
    for (const update of updates) writer.receive(syncMessage(SyncMessageType.update, update));
    await waitFor(() => readerSockets.every((socket, index) => socket.sent.length === (before[index] as number) + 3), 'relays');
    const relayed = readerSockets.map((socket, index) => socket.sent.slice(before[index]));
    expect(relayed[0]).toEqual(updates.map((update) => syncMessage(SyncMessageType.update, update)));
    relayed[0]!.forEach((frame, index) => expect(relayed[1]![index]).toBe(frame)); // encoded once
    expect(writerSocket.sent.length).toBe(writerBefore); // never back to the sender
    const received = new Y.Doc();
    for (const frame of relayed[1]!) Y.applyUpdate(received, frame.subarray(3));
    expect(received.getText('text').toString()).toBe('Luleå Piteå Kiruna');
    for (const handle of [writer, ...readers]) handle.closed();
  });

  it('a snapshot taken from the room (a store that cannot compact by itself) holds every committed write', async () => {
    await catalogue('bild');
    // The MongoDB store's way: the snapshot is the room's encoded state.
    const snapshotting = countingStore(store).store;
    delete snapshotting.updates.compactInStore;
    await sync.close();
    sync = makeSync(store, { extensions: [createCatalogExtension(store, log), createPersistenceExtension(snapshotting, log, { compactAfterUpdates: 10 })] });
    const { handle } = await openAcked(sync, 'bild');
    const { local, updates } = recording();
    for (let index = 0; index < 25; index++) {
      local.getText('text').insert(local.getText('text').length, `${index} `);
      handle.receive(syncMessage(SyncMessageType.update, updates.at(-1)!));
      await waitFor(() => handle.connection.committedWrites === index + 1, 'write durable');
    }
    await store.updates.flush();
    const loaded = await store.updates.loadDocument('bild');
    expect(loaded.snapshot).not.toBeNull();
    expect(replay(loaded).getText('text').toString()).toBe(local.getText('text').toString());
    handle.closed();
  });

  it('hands the writes received in one turn to the store hooks as one call, in order', async () => {
    await catalogue('knippe');
    const calls: number[] = [];
    const recorder: Extension = {
      name: 'recorder',
      store: ({ updates }) => {
        calls.push(updates.length);
        return Promise.resolve();
      },
    };
    const batchingSync = makeSync(store, { extensions: [createCatalogExtension(store, log), createPersistenceExtension(store, log), recorder] });
    try {
      const { handle } = await openAcked(batchingSync, 'knippe');
      const { local, updates } = recording();
      for (let index = 0; index < 5; index++) local.getText('text').insert(index, String(index));
      for (const update of updates) handle.receive(syncMessage(SyncMessageType.update, update)); // one socket read
      await waitFor(() => handle.connection.committedWrites === 5, 'all five durable');
      expect(calls).toEqual([5]);
      await store.updates.flush();
      expect(replay(await store.updates.loadDocument('knippe')).getText('text').toString()).toBe('01234');
      handle.closed();
    } finally {
      await batchingSync.close();
    }
  });

  it('closes only the offending connection on a malformed update, storing nothing', async () => {
    await catalogue('trasig');
    const good = new MemorySocket();
    const bad = new MemorySocket();
    const goodHandle = sync.connect(good, { documentId: 'trasig', params: new URLSearchParams(), headers: {} });
    const badHandle = sync.connect(bad, { documentId: 'trasig', params: new URLSearchParams(), headers: {} });
    await waitFor(() => goodHandle.connection.state === 'open' && badHandle.connection.state === 'open', 'handshakes');
    badHandle.receive(syncMessage(SyncMessageType.update, new Uint8Array([1, 2, 3, 250, 250])));
    badHandle.receive(new Uint8Array([0])); // truncated
    expect(bad.closedWith?.code).toBe(CloseCode.unsupportedData);
    expect(good.closedWith).toBeNull();
    await store.updates.flush();
    expect((await store.updates.loadDocument('trasig')).updates).toHaveLength(0);
    goodHandle.closed();
    badHandle.closed();
  });
});
