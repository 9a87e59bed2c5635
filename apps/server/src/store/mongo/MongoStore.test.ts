import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeStoreContract } from '../../test/storeContract.js';
import { MongoStore } from './MongoStore.js';

const url = process.env.MONGODB_URL;
const reason = 'MONGODB_URL is not set (no MongoDB server on this machine); the MongoDB adapter was NOT tested here';

if (!url) {
  // Loud on purpose: a skipped suite must never be mistaken for a passed one.
  console.warn(`\n*** SKIPPED: MongoDB store contract suite — ${reason}. ***\n`);
}

function databaseName(): string {
  return `samverkan_test_${randomBytes(6).toString('hex')}`;
}

describe.skipIf(!url)(`MongoDB adapter${url ? '' : ` — SKIPPED: ${reason}`}`, () => {
  describeStoreContract('mongo', () => {
    const dbName = databaseName();
    return {
      open: () => MongoStore.open({ url: url as string, dbName }),
      destroy: async () => {
        const store = await MongoStore.open({ url: url as string, dbName });
        await store.dropDatabase();
        await store.close();
      },
    };
  });

  describe('MongoDB specifics', () => {
    const dbName = databaseName();
    let store: MongoStore;
    beforeAll(async () => {
      store = await MongoStore.open({ url: url as string, dbName, partBytes: 1024 * 1024 });
    });
    afterAll(async () => {
      await store.dropDatabase();
      await store.close();
    });

    it('of two concurrent compactors exactly one wins, and nothing is lost', async () => {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      for (let index = 0; index < 20; index++) doc.getArray('a').push([index]);
      const seqs = await store.updates.appendUpdates('race', updates);
      const snapshot = Y.encodeStateAsUpdate(doc);
      const results = await Promise.all([
        store.updates.compact('race', snapshot, seqs.at(-1) as number),
        store.updates.compact('race', snapshot, seqs.at(-1) as number),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const loaded = await store.updates.loadDocument('race');
      expect(loaded.updates).toHaveLength(0);
      const replayed = new Y.Doc();
      Y.applyUpdate(replayed, loaded.snapshot as Uint8Array);
      expect(replayed.getArray('a').length).toBe(20);
    });

    it('a hostile {"$ne": null} lookup matches nothing', async () => {
      await store.documents.create({
        id: 'real',
        type: 'plan',
        title: 'Riktig',
        visibility: 'private',
        ownerOrganisationId: null,
        createdBy: null,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      });
      const hostile = JSON.parse('{"$ne": null}') as unknown as string;
      await expect(store.documents.get(hostile)).rejects.toThrow();
      await store.accounts.setup(
        { id: 'net', name: 'Nät', createdAt: new Date().toISOString() },
        { id: 'org', name: 'Org', kind: 'agency', createdAt: new Date().toISOString() },
        {
          id: 'u1',
          organisationId: 'org',
          email: 'admin@x.se',
          name: 'Admin',
          role: 'admin',
          language: 'sv',
          passwordHash: 'h',
          createdAt: new Date().toISOString(),
          deactivatedAt: null,
        },
      );
      // The login lookup with a hostile value fails instead of matching the first user.
      await expect(store.accounts.findUserByEmail(hostile)).rejects.toThrow();
    });

    it('stores and loads an update larger than one part (split into parts)', async () => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, randomBytes(3 * 1024 * 1024).toString('base64'));
      const update = Y.encodeStateAsUpdate(doc);
      await store.updates.appendUpdates('big', [update]);
      const loaded = await store.updates.loadDocument('big');
      expect(Buffer.from(loaded.updates[0]!.data).equals(Buffer.from(update))).toBe(true);
    });
  });
});
