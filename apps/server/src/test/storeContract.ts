import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Store, StoreConflict } from '../store/ports.js';

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
      // Seqs are ordered per document (adapters may share one seq within a document's batch).
      for (const parity of [0, 1]) {
        const own = seqs.filter((_, index) => index % 2 === parity);
        expect(own).toEqual([...own].sort((a, b) => a - b));
      }
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

    const user = (id: string, email: string, organisationId = 'org-a') => ({
      id,
      organisationId,
      email,
      name: `Namn ${id}`,
      role: 'coordinator' as const,
      language: 'sv' as const,
      passwordHash: '$argon2id$placeholder',
      createdAt: '2026-11-28T10:00:00.000Z',
      deactivatedAt: null,
    });
    const organisation = (id: string, name: string) => ({ id, name, kind: 'municipality' as const, createdAt: '2026-11-28T10:00:00.000Z' });
    const network = { id: 'net', name: 'Nätverket', createdAt: '2026-11-28T10:00:00.000Z' };
    const later = (ms: number) => new Date(Date.parse('2026-11-28T10:00:00.000Z') + ms).toISOString();

    it('sets up the network once, atomically', async () => {
      expect(await store.accounts.countUsers()).toBe(0);
      expect(await store.accounts.setup(network, organisation('org-a', 'Luleå kommun'), { ...user('admin', 'admin@x.se'), role: 'admin' })).toBe(true);
      expect(await store.accounts.setup({ ...network, id: 'net2' }, organisation('org-b', 'Boden'), user('u2', 'u2@x.se'))).toBe(false);
      expect(await store.accounts.getNetwork()).toMatchObject({ id: 'net', name: 'Nätverket' });
      expect(await store.accounts.getOrganisation('org-b')).toBeNull();
      expect(await store.accounts.countUsers()).toBe(1);
      expect(await store.accounts.findUserByEmail('admin@x.se')).toMatchObject({ id: 'admin', role: 'admin', deactivatedAt: null });
    });

    it('keeps organisation names unique regardless of case, and groups of known organisations', async () => {
      await store.accounts.createOrganisation(organisation('org-a', 'Luleå kommun'));
      await store.accounts.createOrganisation(organisation('org-b', 'Piteå kommun'));
      await expect(store.accounts.createOrganisation(organisation('org-c', 'LULEÅ KOMMUN'))).rejects.toThrow(StoreConflict);
      expect((await store.accounts.listOrganisations()).map((entry) => entry.id)).toEqual(['org-a', 'org-b']);
      await store.accounts.createGroup({ id: 'g1', name: 'Transport', kind: 'thematic', organisationIds: ['org-b', 'org-a'], createdAt: later(0) });
      await expect(
        store.accounts.createGroup({ id: 'g2', name: 'Fel', kind: 'thematic', organisationIds: ['org-a', 'nope'], createdAt: later(0) }),
      ).rejects.toThrow(StoreConflict);
      expect(await store.accounts.getGroup('g2')).toBeNull();
      expect(await store.accounts.getGroup('g1')).toMatchObject({ organisationIds: ['org-a', 'org-b'] });
      expect(await store.accounts.updateGroup('g1', { name: 'Transport och mobilitet', organisationIds: ['org-a'] })).toBe(true);
      expect(await store.accounts.getGroup('g1')).toMatchObject({ name: 'Transport och mobilitet', organisationIds: ['org-a'] });
      await expect(store.accounts.updateGroup('g1', { organisationIds: ['nope'] })).rejects.toThrow(StoreConflict);
      expect(await store.accounts.getGroup('g1')).toMatchObject({ organisationIds: ['org-a'] });
      expect(await store.accounts.updateGroup('missing', { name: 'x' })).toBe(false);
      expect((await store.accounts.listGroups()).map((entry) => entry.id)).toEqual(['g1']);
    });

    it('accepts an invitation once, before it expires, creating the user atomically', async () => {
      await store.accounts.createOrganisation(organisation('org-a', 'Luleå kommun'));
      const invitation = {
        tokenHash: 'hash-1',
        email: 'ny@x.se',
        organisationId: 'org-a',
        role: 'coordinator' as const,
        invitedBy: 'admin',
        createdAt: later(0),
        expiresAt: later(60_000),
        usedAt: null,
      };
      await store.accounts.createInvitation(invitation);
      expect(await store.accounts.findInvitation('hash-1')).toEqual(invitation);
      expect((await store.accounts.listOpenInvitations(later(1000))).map((entry) => entry.tokenHash)).toEqual(['hash-1']);
      expect(await store.accounts.listOpenInvitations(later(120_000))).toEqual([]);
      expect(await store.accounts.acceptInvitation('hash-1', user('u1', 'ny@x.se'), later(120_000))).toBe('expired');
      expect(await store.accounts.getUser('u1')).toBeNull();
      expect(await store.accounts.acceptInvitation('hash-1', user('u1', 'ny@x.se'), later(1000))).toBe('accepted');
      expect(await store.accounts.getUser('u1')).toMatchObject({ email: 'ny@x.se', organisationId: 'org-a' });
      expect(await store.accounts.acceptInvitation('hash-1', user('u2', 'annan@x.se'), later(2000))).toBe('used');
      expect(await store.accounts.acceptInvitation('nope', user('u3', 'tredje@x.se'), later(2000))).toBe('unknown');
      await store.accounts.createInvitation({ ...invitation, tokenHash: 'hash-2' });
      expect(await store.accounts.acceptInvitation('hash-2', user('u4', 'ny@x.se'), later(1000))).toBe('email_taken');
      expect((await store.accounts.findInvitation('hash-2'))?.usedAt).toBeNull();
    });

    it('uses a password reset once, sets the hash and ends the sessions', async () => {
      await store.accounts.createOrganisation(organisation('org-a', 'Luleå kommun'));
      expect(await store.accounts.acceptInvitation('none', user('u1', 'u1@x.se'), later(0))).toBe('unknown');
      await store.accounts.createInvitation({
        tokenHash: 'inv',
        email: 'u1@x.se',
        organisationId: 'org-a',
        role: 'coordinator',
        invitedBy: 'admin',
        createdAt: later(0),
        expiresAt: later(60_000),
        usedAt: null,
      });
      expect(await store.accounts.acceptInvitation('inv', user('u1', 'u1@x.se'), later(1))).toBe('accepted');
      await store.sessions.create({ idHash: 's1', userId: 'u1', createdAt: later(0), lastSeenAt: later(0), expiresAt: later(3600_000) });
      await store.accounts.createPasswordReset({ tokenHash: 'r1', userId: 'u1', createdBy: 'admin', createdAt: later(0), expiresAt: later(60_000), usedAt: null });
      expect(await store.accounts.consumePasswordReset('r1', 'new-hash', later(120_000))).toBeNull();
      expect(await store.sessions.get('s1')).not.toBeNull();
      expect(await store.accounts.consumePasswordReset('r1', 'new-hash', later(1000))).toMatchObject({ id: 'u1', passwordHash: 'new-hash' });
      expect(await store.sessions.get('s1')).toBeNull();
      expect(await store.accounts.consumePasswordReset('r1', 'other-hash', later(2000))).toBeNull();
      expect((await store.accounts.getUser('u1'))?.passwordHash).toBe('new-hash');
    });

    it('deactivates a user once and ends their sessions; updates profiles', async () => {
      await store.accounts.setup(network, organisation('org-a', 'Luleå kommun'), user('u1', 'u1@x.se'));
      await store.sessions.create({ idHash: 's1', userId: 'u1', createdAt: later(0), lastSeenAt: later(0), expiresAt: later(3600_000) });
      await store.sessions.create({ idHash: 's2', userId: 'u1', createdAt: later(0), lastSeenAt: later(0), expiresAt: later(3600_000) });
      expect(await store.accounts.updateUser('u1', { name: 'Nytt namn', language: 'en' })).toBe(true);
      expect(await store.accounts.getUser('u1')).toMatchObject({ name: 'Nytt namn', language: 'en' });
      expect(await store.accounts.updateUser('missing', { name: 'x' })).toBe(false);
      expect(await store.accounts.deactivateUser('u1', later(5))).toBe(true);
      expect(await store.accounts.deactivateUser('u1', later(6))).toBe(false);
      expect((await store.accounts.getUser('u1'))?.deactivatedAt).toBe(later(5));
      expect(await store.sessions.get('s1')).toBeNull();
      expect(await store.sessions.get('s2')).toBeNull();
    });

    it('stores sessions by hash: create, touch, delete, delete all of a user', async () => {
      await store.accounts.setup(network, organisation('org-a', 'Luleå kommun'), user('u1', 'u1@x.se'));
      await store.accounts.createInvitation({
        tokenHash: 'inv',
        email: 'u2@x.se',
        organisationId: 'org-a',
        role: 'coordinator',
        invitedBy: 'u1',
        createdAt: later(0),
        expiresAt: later(60_000),
        usedAt: null,
      });
      await store.accounts.acceptInvitation('inv', user('u2', 'u2@x.se'), later(1));
      const session = { idHash: 'h1', userId: 'u1', createdAt: later(0), lastSeenAt: later(0), expiresAt: later(3600_000) };
      await store.sessions.create(session);
      await store.sessions.create({ ...session, idHash: 'h2' });
      await store.sessions.create({ ...session, idHash: 'h3', userId: 'u2' });
      expect(await store.sessions.get('h1')).toEqual(session);
      await store.sessions.touch('h1', later(1000));
      expect((await store.sessions.get('h1'))?.lastSeenAt).toBe(later(1000));
      expect(await store.sessions.delete('h1')).toBe(true);
      expect(await store.sessions.delete('h1')).toBe(false);
      expect(await store.sessions.deleteForUser('u1')).toBe(1);
      expect(await store.sessions.get('h3')).not.toBeNull();
    });

    it('changes visibility, moves to the trash once, and keeps shares per principal', async () => {
      await store.documents.create(record('d1'));
      expect(await store.documents.setVisibility('d1', 'group:g1', later(1000))).toBe(true);
      expect(await store.documents.get('d1')).toMatchObject({ visibility: 'group:g1', updatedAt: later(1000), ownerOrganisationId: 'org1' });
      expect(await store.documents.setVisibility('missing', 'network', later(1000))).toBe(false);
      const share = { id: 's1', documentId: 'd1', principalType: 'user' as const, principalId: 'u9', role: 'viewer' as const, createdBy: 'u1', createdAt: later(0) };
      expect(await store.shares.upsert(share)).toEqual(share);
      // The same principal again: the role changes, the share keeps its id.
      expect(await store.shares.upsert({ ...share, id: 's2', role: 'editor' })).toMatchObject({ id: 's1', role: 'editor' });
      await store.shares.upsert({ ...share, id: 's3', principalType: 'organisation', principalId: 'org7' });
      await store.shares.upsert({ ...share, id: 's4', principalType: 'group', principalId: 'g5', role: 'commenter' });
      expect((await store.shares.listForDocument('d1')).map((entry) => entry.id).sort()).toEqual(['s1', 's3', 's4']);
      const mine = await store.shares.listForPrincipals({ userId: 'u9', organisationId: 'org-x', groupIds: ['g5'] });
      expect(mine.map((entry) => entry.id).sort()).toEqual(['s1', 's4']);
      expect((await store.shares.listForPrincipals({ userId: 'nobody', organisationId: 'org7', groupIds: [] })).map((entry) => entry.id)).toEqual(['s3']);
      expect(await store.shares.delete('d1', 's1')).toBe(true);
      expect(await store.shares.delete('d1', 's1')).toBe(false);
      expect(await store.shares.delete('other', 's3')).toBe(false);
      expect(await store.documents.moveToTrash('d1', later(2000))).toBe(true);
      expect(await store.documents.moveToTrash('d1', later(3000))).toBe(false);
      expect((await store.documents.get('d1'))?.deletedAt).toBe(later(2000));
      expect(await store.documents.list()).toEqual([]);
    });

    it('keeps adoptions per source document', async () => {
      const adoption = { id: 'a1', sourceDocumentId: 'src', sourceItemId: 'm1', targetDocumentId: 'tgt', targetItemId: 'm9', adoptedBy: 'u1', adoptedAt: later(0) };
      await store.adoptions.create(adoption);
      await store.adoptions.create({ ...adoption, id: 'a2', sourceItemId: null, adoptedAt: later(1000) });
      expect(await store.adoptions.listForSource('src')).toEqual([adoption, { ...adoption, id: 'a2', sourceItemId: null, adoptedAt: later(1000) }]);
      expect(await store.adoptions.listForSource('other')).toEqual([]);
    });

    it('keeps extracted figures per document', async () => {
      await store.documents.create(record('d1'));
      await store.documents.create(record('d2'));
      await store.documents.setFacts('d1', '{"measures":[],"targets":[]}');
      const facts = await store.documents.getFacts(['d1', 'd2', 'missing']);
      expect([...facts.entries()]).toEqual([['d1', '{"measures":[],"targets":[]}']]);
      await store.documents.setFacts('d1', '{"measures":[1]}');
      expect((await store.documents.getFacts(['d1'])).get('d1')).toBe('{"measures":[1]}');
    });

    it('indexes documents for search and searches only the given documents', async () => {
      const entry = (documentId: string, itemId: string | null, title: string, body: string) => ({ documentId, itemId, title, body, sector: 'transport', status: 'planned' });
      await store.search.replaceDocument('d1', [entry('d1', null, 'Cykelplan', 'Fler cykelbanor i centrum'), entry('d1', 'm1', 'Pendlarparkering', 'Parkering vid stationen')]);
      await store.search.replaceDocument('d2', [entry('d2', null, 'Energiplan', 'Solceller på taken')]);
      const hits = await store.search.search('parkering', { documentIds: ['d1', 'd2'], limit: 10 });
      expect(hits.map((hit) => [hit.documentId, hit.itemId])).toEqual([['d1', 'm1']]);
      expect(hits[0]).toMatchObject({ sector: 'transport', status: 'planned' });
      expect(await store.search.search('solceller', { documentIds: ['d1'], limit: 10 })).toEqual([]);
      await store.search.replaceDocument('d1', [entry('d1', null, 'Cykelplan', 'Fler cykelbanor')]);
      expect(await store.search.search('parkering', { documentIds: ['d1', 'd2'], limit: 10 })).toEqual([]);
      await store.search.removeDocument('d2');
      expect(await store.search.search('solceller', { documentIds: ['d1', 'd2'], limit: 10 })).toEqual([]);
    });

    it('keeps an audit log, newest first', async () => {
      await store.audit.record({ actorId: 'u1', action: 'document.create', targetId: 'd1', at: later(0) });
      await store.audit.record({ actorId: null, action: 'password_reset.issue', targetId: 'u1', at: later(1000) });
      expect(await store.audit.list(10)).toEqual([
        { actorId: null, action: 'password_reset.issue', targetId: 'u1', at: later(1000) },
        { actorId: 'u1', action: 'document.create', targetId: 'd1', at: later(0) },
      ]);
      expect(await store.audit.list(1)).toHaveLength(1);
      // A retried record asks for its very entry, however many came after it.
      expect(await store.audit.has({ actorId: 'u1', action: 'document.create', targetId: 'd1', at: later(0) })).toBe(true);
      expect(await store.audit.has({ actorId: null, action: 'password_reset.issue', targetId: 'u1', at: later(1000) })).toBe(true);
      expect(await store.audit.has({ actorId: 'u2', action: 'document.create', targetId: 'd1', at: later(0) })).toBe(false);
      expect(await store.audit.has({ actorId: 'u1', action: 'document.create', targetId: 'd1', at: later(1) })).toBe(false);
      expect(await store.audit.has({ actorId: null, action: 'password_reset.issue', targetId: null, at: later(1000) })).toBe(false);
    });

    it('reports itself healthy and answers a ping', async () => {
      expect(store.health().ok).toBe(true);
      await store.ping(2000);
    });
  });
}
