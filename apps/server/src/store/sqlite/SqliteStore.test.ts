import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeStoreContract } from '../../test/storeContract.js';
import { makeTempDir } from '../../test/tempDir.js';
import { SqliteStore } from './SqliteStore.js';

describeStoreContract('sqlite', () => {
  const temp = makeTempDir();
  return {
    open: async () => new SqliteStore({ dataDir: temp.path }),
    destroy: async () => temp.remove(),
  };
});

describe('SqliteStore specifics', () => {
  it('runs in WAL mode with the update log committed by a writer thread (synchronous=FULL)', async () => {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      await store.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
      const db = new Database(store.filename, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('creates a new file with 1 KiB pages and keeps the page size of an existing file', async () => {
    const fresh = makeTempDir();
    const existing = makeTempDir();
    const old = new Database(join(existing.path, 'samverkan.sqlite'));
    old.pragma('page_size = 4096');
    old.exec('CREATE TABLE t (x)');
    old.close();
    const stores = [new SqliteStore({ dataDir: fresh.path }), new SqliteStore({ dataDir: existing.path })];
    try {
      const sizes = stores.map((store) => {
        const db = new Database(store.filename, { readonly: true });
        const size = db.pragma('page_size', { simple: true });
        db.close();
        return size;
      });
      expect(sizes).toEqual([1024, 4096]);
      await stores[0]?.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
      expect((await stores[0]?.updates.loadDocument('d'))?.updates.length).toBe(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      fresh.remove();
      existing.remove();
    }
  });

  it('retries a failed commit, reports itself unhealthy meanwhile, and loses nothing', async () => {
    const temp = makeTempDir();
    const errors: string[] = [];
    let recovered = 0;
    const store = new SqliteStore({
      dataDir: temp.path,
      busyTimeoutMs: 50,
      onCommitError: (error) => errors.push(String(error)),
      onCommitRecovered: () => recovered++,
    });
    const blocker = new Database(store.filename);
    try {
      await store.ping();
      blocker.exec('BEGIN IMMEDIATE'); // another writer holds the lock: commits fail with SQLITE_BUSY
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      doc.getText('text').insert(0, 'väntar på låset');
      let committed = false;
      const append = store.updates.appendUpdates('d', updates.slice()).then(() => {
        committed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(committed).toBe(false);
      expect(errors.length).toBeGreaterThan(0);
      expect(store.health().ok).toBe(false);
      blocker.exec('COMMIT');
      await append;
      expect(store.health().ok).toBe(true);
      expect(recovered).toBe(1);
      const loaded = await store.updates.loadDocument('d');
      const replayed = new Y.Doc();
      for (const update of loaded.updates) Y.applyUpdate(replayed, update.data);
      expect(replayed.getText('text').toString()).toBe('väntar på låset');
    } finally {
      blocker.close();
      await store.close();
      temp.remove();
    }
  });

  it('compacts off the event loop into a garbage-collected snapshot', async () => {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      doc.getText('text').insert(0, 'hemligt utkast som raderas ');
      doc.getText('text').insert(0, 'kvar ');
      doc.getText('text').delete(5, 'hemligt utkast som raderas '.length);
      doc.getText('text').insert(doc.getText('text').length, 'sist');
      const seqs: number[] = [];
      for (const update of updates) seqs.push(...(await store.updates.appendUpdates('d', [update])));
      expect(await store.updates.compactInStore!('d', seqs[2]!)).toBeGreaterThan(0);
      expect(await store.updates.compactInStore!('d', seqs[1]!)).toBeNull(); // never backwards
      const loaded = await store.updates.loadDocument('d');
      expect(loaded.snapshotSeq).toBe(seqs[2]);
      expect(loaded.updates.map((update) => update.seq)).toEqual([seqs[3]]);
      expect(Buffer.from(loaded.snapshot!).toString('utf8')).not.toContain('hemligt');
      const replayed = new Y.Doc();
      Y.applyUpdate(replayed, loaded.snapshot!);
      for (const update of loaded.updates) Y.applyUpdate(replayed, update.data);
      expect(replayed.getText('text').toString()).toBe('kvar sist');
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('checkpoints the WAL into the database file from the compactor thread, not at a commit', async () => {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    const file = join(temp.path, 'samverkan.sqlite');
    try {
      const before = statSync(file).size;
      // About 600 KiB in 1 KiB pages: far below the writer's backstop of 10,000 pages.
      for (let index = 0; index < 30; index++) {
        await store.updates.appendUpdates(`doc-${index}`, [new Uint8Array(20_000).fill(index)]);
      }
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(600_000);
      const deadline = Date.now() + 5000;
      while (statSync(file).size < before + 600_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(statSync(file).size).toBeGreaterThan(before + 600_000);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('deletes the rows a snapshot covers in chunks, and leftovers of an interrupted prune at open', async () => {
    const temp = makeTempDir();
    let store = new SqliteStore({ dataDir: temp.path });
    const file = join(temp.path, 'samverkan.sqlite');
    const rowsOf = (documentId: string): number => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM document_updates WHERE document_id = ?').get(documentId) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    try {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      for (let index = 0; index < 450; index++) doc.getText('text').insert(index, 'x');
      const seqs: number[] = [];
      for (const update of updates) seqs.push(...(await store.updates.appendUpdates('d', [update]))); // a row each
      await store.updates.appendUpdates('other', [updates[0]!]);
      expect(rowsOf('d')).toBe(450);
      // More rows than one prune chunk: every covered row goes, the later ones stay.
      expect(await store.updates.compactInStore!('d', seqs[419]!)).toBeGreaterThan(0);
      expect(rowsOf('d')).toBe(30);
      expect(rowsOf('other')).toBe(1);
      const loaded = await store.updates.loadDocument('d');
      const replayed = new Y.Doc();
      Y.applyUpdate(replayed, loaded.snapshot!);
      for (const update of loaded.updates) Y.applyUpdate(replayed, update.data);
      expect(replayed.getText('text').toString()).toBe('x'.repeat(450));
      // Two documents compacted at once, while appends go on: one chunk spans both.
      const more: number[] = [];
      for (const update of updates.slice(0, 120)) {
        more.push(...(await store.updates.appendUpdates('d', [update])));
        await store.updates.appendUpdates('other', [update]);
      }
      const otherSeq = (await store.updates.loadDocument('other')).updates.at(-1)!.seq;
      const appending = Promise.all(updates.slice(0, 40).map((update) => store.updates.appendUpdates('third', [update])));
      const [dBytes, otherBytes] = await Promise.all([store.updates.compactInStore!('d', more.at(-1)!), store.updates.compactInStore!('other', otherSeq), appending]);
      expect(dBytes).toBeGreaterThan(0);
      expect(otherBytes).toBeGreaterThan(0);
      expect(rowsOf('d')).toBe(0);
      expect(rowsOf('other')).toBe(0);
      expect((await store.updates.loadDocument('third')).updates).toHaveLength(40);
      await store.close();
      // A prune cut short by a crash: covered rows still in the file.
      const db = new Database(file);
      db.prepare('INSERT INTO document_updates (seq, document_id, data) VALUES (?, ?, ?)').run(seqs[0]! - 1, 'd', Buffer.from(updates[0]!));
      db.close();
      expect(rowsOf('d')).toBe(1);
      store = new SqliteStore({ dataDir: temp.path });
      expect(rowsOf('d')).toBe(0);
      expect((await store.updates.loadDocument('third')).updates).toHaveLength(40);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('stores one row per document and commit, and still loads rows written one update each', async () => {
    const temp = makeTempDir();
    let store = new SqliteStore({ dataDir: temp.path });
    try {
      const docs = { a: new Y.Doc(), b: new Y.Doc() };
      const updatesOf = { a: [] as Uint8Array[], b: [] as Uint8Array[] };
      docs.a.on('update', (update: Uint8Array) => updatesOf.a.push(update));
      docs.b.on('update', (update: Uint8Array) => updatesOf.b.push(update));
      const writes: Promise<number[]>[] = [];
      for (let index = 0; index < 60; index++) {
        const key = index % 3 === 0 ? 'b' : 'a';
        docs[key].getText('text').insert(docs[key].getText('text').length, `${index},`);
        writes.push(store.updates.appendUpdates(key, [updatesOf[key].at(-1)!]));
      }
      const seqs = await Promise.all(writes);
      const db = new Database(store.filename, { readonly: true });
      const rows = db.prepare('SELECT COUNT(*) AS count FROM document_updates').get() as { count: number };
      db.close();
      // A lone first write commits at once; the rest arrive during that commit and share rows.
      expect(rows.count).toBeLessThan(10);
      expect(new Set(seqs.map((seq) => seq[0])).size).toBe(rows.count);

      // A row as the store wrote it before batching: one update, no sizes.
      docs.a.getText('text').insert(docs.a.getText('text').length, 'gammal rad');
      const legacy = new Database(store.filename);
      legacy.prepare('INSERT INTO document_updates (document_id, data) VALUES (?, ?)').run('a', updatesOf.a.at(-1)!);
      legacy.close();
      await store.close();
      store = new SqliteStore({ dataDir: temp.path });
      for (const key of ['a', 'b'] as const) {
        const loaded = await store.updates.loadDocument(key);
        expect(loaded.updates.length).toBe(updatesOf[key].length);
        const replayed = new Y.Doc();
        for (const update of loaded.updates) Y.applyUpdate(replayed, update.data);
        expect(replayed.getText('text').toString()).toBe(docs[key].getText('text').toString());
      }
      // Compaction in the writer thread reads both kinds of rows.
      const all = await store.updates.loadDocument('a');
      const snapshotBytes = await store.updates.compactInStore!('a', all.updates.at(-1)!.seq);
      const compacted = await store.updates.loadDocument('a');
      expect(snapshotBytes).toBe(compacted.snapshot!.byteLength);
      expect(compacted.updates).toEqual([]);
      const replayed = new Y.Doc();
      Y.applyUpdate(replayed, compacted.snapshot!);
      expect(replayed.getText('text').toString()).toBe(docs.a.getText('text').toString());
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('migrates a store written before batched rows: its updates load unchanged', async () => {
    const temp = makeTempDir();
    const first = new SqliteStore({ dataDir: temp.path });
    await first.close();
    // Back to the schema before the `sizes` column, with an update stored the old way.
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.getText('text').insert(0, 'före migreringen');
    const old = new Database(join(temp.path, 'samverkan.sqlite'));
    const version = (old.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number }).version;
    old.exec(`ALTER TABLE document_updates DROP COLUMN sizes; DELETE FROM schema_migrations WHERE version = ${version}`);
    old.prepare('INSERT INTO document_updates (document_id, data) VALUES (?, ?)').run('d', updates[0]!);
    old.close();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      await store.updates.appendUpdates('d', [new Uint8Array([0, 0]), new Uint8Array([0, 0])]);
      const loaded = await store.updates.loadDocument('d');
      expect(loaded.updates.length).toBe(3);
      const replayed = new Y.Doc();
      for (const update of loaded.updates) Y.applyUpdate(replayed, update.data);
      expect(replayed.getText('text').toString()).toBe('före migreringen');
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('survives a crash of the writer thread: the next commit starts a new one', async () => {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      await store.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
      await store.crashWriter();
      const [seq] = await store.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
      expect(seq).toBe(2);
      expect(store.health().ok).toBe(true);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
