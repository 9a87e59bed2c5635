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
