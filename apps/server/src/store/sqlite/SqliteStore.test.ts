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

  it('compacts inside the writer thread into a garbage-collected snapshot', async () => {
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
      const seqs = await store.updates.appendUpdates('d', updates);
      expect(await store.updates.compactInStore!('d', seqs[2]!)).toBe(true);
      expect(await store.updates.compactInStore!('d', seqs[1]!)).toBe(false); // never backwards
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
