import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Store } from '../store/ports.js';

/** How a contract run gets a store: `open` may be called again on the same location to reopen. */
export interface StoreHarness {
  /** Opens (or reopens) the store at the harness's location. */
  open(): Promise<Store>;
  /** Removes everything the harness created. */
  destroy(): Promise<void>;
}

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  let captured: Uint8Array | null = null;
  const capture = (update: Uint8Array) => {
    captured = update;
  };
  doc.on('update', capture);
  doc.getText('text').insert(doc.getText('text').length, text);
  doc.off('update', capture);
  return captured as unknown as Uint8Array;
}

function replay(loaded: { snapshot: Uint8Array | null; updates: { data: Uint8Array }[] }): Y.Doc {
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
  for (const update of loaded.updates) Y.applyUpdate(doc, update.data);
  return doc;
}

const record = (id: string, title = 'Klimatplan') => ({
  id,
  type: 'plan' as const,
  title,
  visibility: 'private' as const,
  ownerOrganisationId: 'org1',
  createdBy: 'user1',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
});

/**
 * The store contract: written once, run against every adapter (SQLite always; MongoDB when
 * `MONGODB_URL` is set).
 */
export function describeStoreContract(name: string, makeHarness: () => StoreHarness): void {
  describe(`store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;
    beforeEach(async () => {
      harness = makeHarness();
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close().catch(() => undefined);
      await harness.destroy();
    });

    it('appends updates durably and loads them in order with increasing seqs', async () => {
      const doc = new Y.Doc();
      const updates = ['Luleå ', 'Piteå ', 'Kiruna'].map((text) => textUpdate(doc, text));
      const seqs = [
        ...(await store.updates.appendUpdates('d1', [updates[0] as Uint8Array])),
        ...(await store.updates.appendUpdates('d1', updates.slice(1))),
      ];
      expect(seqs).toHaveLength(3);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      const loaded = await store.updates.loadDocument('d1');
      expect(loaded.snapshot).toBeNull();
      expect(loaded.updates.map((update) => update.seq)).toEqual(seqs);
      expect(replay(loaded).getText('text').toString()).toBe('Luleå Piteå Kiruna');
      expect((await store.updates.loadDocument('other')).updates).toEqual([]);
    });

    it('groups concurrent appends and keeps each document separate', async () => {
      const docs = [new Y.Doc(), new Y.Doc()];
      const writes: Promise<number[]>[] = [];
      for (let index = 0; index < 200; index++) {
        const doc = docs[index % 2] as Y.Doc;
        writes.push(store.updates.appendUpdates(`doc${index % 2}`, [textUpdate(doc, `${index},`)]));
      }
      const seqs = (await Promise.all(writes)).map((result) => result[0] as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      for (const [index, doc] of docs.entries()) {
        const loaded = replay(await store.updates.loadDocument(`doc${index}`));
        expect(loaded.getText('text').toString()).toBe(doc.getText('text').toString());
      }
    });

    it('keeps what was appended across close and reopen', async () => {
      const doc = new Y.Doc();
      await store.updates.appendUpdates('d1', [textUpdate(doc, 'beständig')]);
      await store.close();
      store = await harness.open();
      expect(replay(await store.updates.loadDocument('d1')).getText('text').toString()).toBe('beständig');
    });

    it('compacts into a snapshot, drops covered updates, keeps later ones, and never goes backwards', async () => {
      const doc = new Y.Doc();
      const seqs: number[] = [];
      for (let index = 0; index < 10; index++) seqs.push(...(await store.updates.appendUpdates('d1', [textUpdate(doc, `${index}`)])));
      const snapshotDoc = new Y.Doc();
      const loadedBefore = await store.updates.loadDocument('d1');
      for (const update of loadedBefore.updates.slice(0, 6)) Y.applyUpdate(snapshotDoc, update.data);
      expect(await store.updates.compact('d1', Y.encodeStateAsUpdate(snapshotDoc), seqs[5] as number)).toBe(true);
      const after = await store.updates.loadDocument('d1');
      expect(after.snapshotSeq).toBe(seqs[5]);
      expect(after.updates.map((update) => update.seq)).toEqual(seqs.slice(6));
      expect(replay(after).getText('text').toString()).toBe('0123456789');
      // An older compaction (another writer) is refused and changes nothing.
      expect(await store.updates.compact('d1', new Uint8Array([0, 0]), seqs[2] as number)).toBe(false);
      expect(replay(await store.updates.loadDocument('d1')).getText('text').toString()).toBe('0123456789');
      // Updates appended after compaction get higher seqs than the snapshot covers.
      const [next] = await store.updates.appendUpdates('d1', [textUpdate(doc, 'X')]);
      expect(next).toBeGreaterThan(seqs[9] as number);
      expect(replay(await store.updates.loadDocument('d1')).getText('text').toString()).toBe('0123456789X');
    });

    it('keeps a catalogue of documents', async () => {
      expect(await store.documents.get('nope')).toBeNull();
      await store.documents.create(record('a', 'Färdplan Boden'));
      await store.documents.create({ ...record('b', 'Pilot: solceller'), type: 'pilot', updatedAt: '2026-11-28T11:00:00.000Z' });
      await expect(store.documents.create(record('a'))).rejects.toThrow();
      expect(await store.documents.get('a')).toMatchObject({ id: 'a', title: 'Färdplan Boden', type: 'plan', deletedAt: null });
      expect((await store.documents.list()).map((document) => document.id)).toEqual(['b', 'a']);
      expect(await store.documents.updateTitle('a', 'Färdplan Boden 2030', '2026-11-28T12:00:00.000Z')).toBe(true);
      expect(await store.documents.updateTitle('missing', 'x', '2026-11-28T12:00:00.000Z')).toBe(false);
      expect((await store.documents.list())[0]).toMatchObject({ id: 'a', title: 'Färdplan Boden 2030' });
    });

    it('reports itself healthy and answers a ping', async () => {
      expect(store.health().ok).toBe(true);
      await store.ping(2000);
    });
  });
}
