import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeStoreContract } from '../../test/storeContract.js';
import { makeTempDir } from '../../test/tempDir.js';
import { scanSegment, segmentNumberOf } from './journalFormat.js';
import { SqliteStore } from './SqliteStore.js';

/** Segment files of a store's journal, in order. */
function segmentFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'journal');
  return readdirSync(dir)
    .filter((name) => segmentNumberOf(name) !== null)
    .sort()
    .map((name) => join(dir, name));
}

/** A Y.Doc and the updates it emits, in order. */
function recordingDoc(): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, updates };
}

/** The text of a loaded document: its snapshot (if any), then its updates. */
function replayedText(loaded: { snapshot: Uint8Array | null; updates: { data: Uint8Array }[] }): string {
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
  for (const update of loaded.updates) Y.applyUpdate(doc, update.data);
  return doc.getText('text').toString();
}

/** Every whole record in a store's journal. */
function journalRecords(dataDir: string) {
  return segmentFiles(dataDir).flatMap((path) => scanSegment(readFileSync(path)).records);
}

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

  it('retries a failed journal commit, reports itself unhealthy meanwhile, and loses nothing', async () => {
    const temp = makeTempDir();
    const errors: string[] = [];
    let recovered = 0;
    // Every commit starts a new segment, so a journal folder that cannot take one fails it.
    const store = new SqliteStore({
      dataDir: temp.path,
      journalSegmentBytes: 1,
      onCommitError: (error) => errors.push(String(error)),
      onCommitRecovered: () => recovered++,
    });
    const journal = join(temp.path, 'journal');
    try {
      await store.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
      // The folder is moved away and a plain file takes its place: creating a segment fails.
      renameSync(journal, `${journal}.away`);
      writeFileSync(journal, 'inte en mapp');
      const { doc, updates } = recordingDoc();
      doc.getText('text').insert(0, 'väntar på mappen');
      let committed = false;
      const append = store.updates.appendUpdates('d', updates.slice()).then(() => {
        committed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(committed).toBe(false);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join('\n')).not.toContain('väntar');
      expect(store.health().ok).toBe(false);
      rmSync(journal);
      renameSync(`${journal}.away`, journal);
      await append;
      expect(store.health().ok).toBe(true);
      expect(recovered).toBe(1);
      await store.close();
      const reopened = new SqliteStore({ dataDir: temp.path });
      try {
        const loaded = await reopened.updates.loadDocument('d');
        const replayed = new Y.Doc();
        for (const update of loaded.updates.slice(1)) Y.applyUpdate(replayed, update.data);
        expect(replayed.getText('text').toString()).toBe('väntar på mappen');
      } finally {
        await reopened.close();
      }
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('compacts off the event loop into a garbage-collected snapshot', async () => {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      const { doc, updates } = recordingDoc();
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
      expect(replayedText(loaded)).toBe('kvar sist');
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it.runIf(existsSync('/proc/thread-self'))('compacts in a thread of lower scheduling priority than the event loop', async () => {
    /** This process's threads and their nice values (`/proc/self/task/<tid>/stat`, field 19). */
    const niceByThread = (): Map<string, number> =>
      new Map(
        readdirSync('/proc/self/task').flatMap((tid) => {
          try {
            const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
            return [[tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const];
          } catch {
            return []; // the thread ended meanwhile
          }
        }),
      );
    const own = niceByThread().get(readlinkSync('/proc/thread-self').split('/').pop()!)!;
    // Run at the lowest priority already, there is nothing lower to go to.
    if (own >= 19) return;
    const before = niceByThread();
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      const { doc, updates } = recordingDoc();
      doc.getText('text').insert(0, 'åtgärd');
      doc.getText('text').insert(0, 'ny ');
      const seqs: number[] = [];
      for (const update of updates) seqs.push(...(await store.updates.appendUpdates('d', [update])));
      // The compactor has answered: it has started and set its priority.
      expect(await store.updates.compactInStore!('d', seqs[1]!)).toBeGreaterThan(0);
      const started = [...niceByThread()].filter(([tid]) => !before.has(tid));
      // The compactor ten steps lower; every other thread the store started (the writer's) at the process's priority.
      expect(started.filter(([, nice]) => nice !== own).map(([, nice]) => nice)).toEqual([Math.min(19, own + 10)]);
      expect(started.length).toBeGreaterThan(1);
      // No thread that was there before changed (the event loop's, libuv's, V8's).
      expect([...niceByThread()].filter(([tid, nice]) => before.has(tid) && nice !== before.get(tid))).toEqual([]);
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
      // About 600 KiB of snapshots, each small enough to stay in the file, in 1 KiB pages: far
      // below the writer's backstop of 10,000 pages.
      for (let index = 0; index < 60; index++) {
        const [seq] = await store.updates.appendUpdates(`doc-${index}`, [new Uint8Array([0, 0])]);
        expect(await store.updates.compact(`doc-${index}`, new Uint8Array(10_000).fill(index), seq!)).toBe(true);
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

  it('deletes the rows from before the journal that a snapshot covers, in chunks, and leftovers of an interrupted prune at open', async () => {
    const temp = makeTempDir();
    const file = join(temp.path, 'samverkan.sqlite');
    await new SqliteStore({ dataDir: temp.path }).close();
    const rowsOf = (documentId: string): number => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM document_updates WHERE document_id = ?').get(documentId) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const { doc, updates } = recordingDoc();
    for (let index = 0; index < 1200; index++) doc.getText('text').insert(index, 'x');
    // Rows as a store wrote them before the journal: one update each.
    const legacy = new Database(file);
    const insert = legacy.prepare('INSERT INTO document_updates (document_id, data) VALUES (?, ?)');
    const seqs = legacy.transaction(() => updates.map((update) => Number(insert.run('d', update).lastInsertRowid)))();
    insert.run('other', updates[0]!);
    legacy.close();
    let store = new SqliteStore({ dataDir: temp.path });
    try {
      expect(rowsOf('d')).toBe(1200);
      // More rows than one prune chunk: every covered row goes, the later ones stay.
      expect(await store.updates.compactInStore!('d', seqs[1169]!)).toBeGreaterThan(0);
      expect(rowsOf('d')).toBe(30);
      expect(rowsOf('other')).toBe(1);
      // New updates go to the journal, after every seq of the old rows.
      const [next] = await store.updates.appendUpdates('d', [updates[0]!]);
      expect(next).toBeGreaterThan(seqs.at(-1)! + 1);
      const loaded = await store.updates.loadDocument('d');
      expect(loaded.updates.map((update) => update.seq)).toEqual([...seqs.slice(1170), next]);
      expect(replayedText(loaded)).toBe('x'.repeat(1200));
      // Old rows and journal records compacted together.
      expect(await store.updates.compactInStore!('d', next!)).toBeGreaterThan(0);
      expect(rowsOf('d')).toBe(0);
      expect((await store.updates.loadDocument('d')).updates).toEqual([]);
      await store.close();
      // A prune cut short by a crash: covered rows still in the file.
      const db = new Database(file);
      db.prepare('INSERT INTO document_updates (seq, document_id, data) VALUES (?, ?, ?)').run(seqs[0]! - 1, 'd', Buffer.from(updates[0]!));
      db.close();
      expect(rowsOf('d')).toBe(1);
      store = new SqliteStore({ dataDir: temp.path });
      expect(rowsOf('d')).toBe(0);
      expect(rowsOf('other')).toBe(1);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('writes one journal record per document and commit, and still loads rows written before the journal', async () => {
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
      const records = journalRecords(temp.path);
      // A lone first write commits at once; the rest arrive during that commit and share records.
      expect(records.length).toBeLessThan(10);
      expect(new Set(seqs.map((seq) => seq[0])).size).toBe(records.length);
      expect(new Set(records.map((record) => record.seq)).size).toBe(records.length);

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
        expect(replayedText(loaded)).toBe(docs[key].getText('text').toString());
      }
      // Compaction in the compactor thread reads old rows and journal records.
      const all = await store.updates.loadDocument('a');
      const snapshotBytes = await store.updates.compactInStore!('a', all.updates.at(-1)!.seq);
      const compacted = await store.updates.loadDocument('a');
      expect(snapshotBytes).toBe(compacted.snapshot!.byteLength);
      expect(compacted.updates).toEqual([]);
      expect(replayedText(compacted)).toBe(docs.a.getText('text').toString());
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
    const { doc, updates } = recordingDoc();
    doc.getText('text').insert(0, 'före migreringen');
    const old = new Database(join(temp.path, 'samverkan.sqlite'));
    const version = (old.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number }).version;
    // The three latest migrations: the `sizes` column of update rows, the `file` column of
    // snapshots, the index of audit entries by time.
    old.exec(
      `ALTER TABLE document_updates DROP COLUMN sizes; ALTER TABLE document_snapshots DROP COLUMN file;
       DROP INDEX audit_log_by_at;
       DELETE FROM schema_migrations WHERE version >= ${version - 2}`,
    );
    old.prepare('INSERT INTO document_updates (document_id, data) VALUES (?, ?)').run('d', updates[0]!);
    old.close();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      await store.updates.appendUpdates('d', [new Uint8Array([0, 0]), new Uint8Array([0, 0])]);
      const loaded = await store.updates.loadDocument('d');
      expect(loaded.updates.length).toBe(3);
      expect(replayedText(loaded)).toBe('före migreringen');
      // The migrations ran again: the index of audit entries by time is back.
      const check = new Database(join(temp.path, 'samverkan.sqlite'), { readonly: true });
      expect((check.prepare("SELECT name FROM pragma_index_list('audit_log')").all() as { name: string }[]).map((row) => row.name)).toContain('audit_log_by_at');
      check.close();
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('survives a crash of the writer thread: the next write starts a new one', async () => {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    try {
      await store.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
      await store.crashWriter();
      const [seq] = await store.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
      expect(seq).toBe(2);
      expect(await store.updates.compact('d', new Uint8Array([0, 0]), seq!)).toBe(true);
      expect(store.health().ok).toBe(true);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('journal: a torn or corrupt end of a segment is not read, everything acknowledged is, and new commits go to a new segment', async () => {
    const temp = makeTempDir();
    let store = new SqliteStore({ dataDir: temp.path });
    try {
      const { doc, updates } = recordingDoc();
      for (let index = 0; index < 20; index++) doc.getText('text').insert(index, String(index % 10));
      for (const update of updates.slice(0, 10)) await store.updates.appendUpdates('d', [update]);
      await store.close();
      const [segment] = segmentFiles(temp.path);
      const whole = readFileSync(segment!);
      // A commit cut off part-way by a crash: the first 30 bytes of a record that was never acknowledged.
      const torn = readFileSync(segment!).subarray(8, 38);
      writeFileSync(segment!, Buffer.concat([whole, torn]));
      store = new SqliteStore({ dataDir: temp.path });
      expect((await store.updates.loadDocument('d')).updates).toHaveLength(10);
      for (const update of updates.slice(10)) await store.updates.appendUpdates('d', [update]);
      expect(segmentFiles(temp.path)).toHaveLength(2);
      await store.close();
      // A flipped bit in the last record of the newer segment: that record fails its checksum.
      const newer = segmentFiles(temp.path)[1]!;
      const bytes = readFileSync(newer);
      bytes[bytes.byteLength - 1]! ^= 0x01;
      writeFileSync(newer, bytes);
      store = new SqliteStore({ dataDir: temp.path });
      const loaded = await store.updates.loadDocument('d');
      expect(loaded.updates).toHaveLength(19);
      expect(replayedText(loaded)).toBe('0123456789012345678');
      // Seqs go on above everything that reads back, and the update can be sent again.
      const [seq] = await store.updates.appendUpdates('d', [updates[19]!]);
      expect(seq).toBeGreaterThan(loaded.updates.at(-1)!.seq);
      expect((await store.updates.loadDocument('d')).updates).toHaveLength(20);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('journal: a segment is made at its full size up front (sparse), commits change no file size, and a close cuts it back', async () => {
    const temp = makeTempDir();
    const segmentBytes = 1024 * 1024;
    const store = new SqliteStore({ dataDir: temp.path, journalSegmentBytes: segmentBytes });
    try {
      const { doc, updates } = recordingDoc();
      for (let index = 0; index < 10; index++) doc.getText('text').insert(index, 'n');
      await store.updates.appendUpdates('d', [updates[0]!]);
      const [segment] = segmentFiles(temp.path);
      const made = statSync(segment!);
      expect(made.size).toBe(segmentBytes);
      // No bytes written for the size: the blocks taken are a few, not a megabyte's worth.
      expect(made.blocks * 512).toBeLessThan(segmentBytes / 8);
      for (const update of updates.slice(1)) await store.updates.appendUpdates('d', [update]);
      expect(statSync(segment!).size).toBe(segmentBytes);
      const written = scanSegment(readFileSync(segment!)).validEnd;
      await store.close();
      expect(statSync(segment!).size).toBe(written);
      const reopened = new SqliteStore({ dataDir: temp.path, journalSegmentBytes: segmentBytes });
      try {
        expect(replayedText(await reopened.updates.loadDocument('d'))).toBe('nnnnnnnnnn');
      } finally {
        await reopened.close();
      }
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('journal: after a crash, zeros and a commit torn before them end the last segment; whole records after unreadable bytes are damage', async () => {
    const temp = makeTempDir();
    // Only the warnings about damaged segments (a slow disk may add one about commits moving off the event loop).
    const warnings: string[] = [];
    const onWarning = (message: string): void => {
      if (message.includes('unreadable bytes')) warnings.push(message);
    };
    const segmentBytes = 1024 * 1024;
    const open = () => new SqliteStore({ dataDir: temp.path, journalSegmentBytes: segmentBytes, onWarning });
    let store = open();
    try {
      const { doc, updates } = recordingDoc();
      for (let index = 0; index < 12; index++) doc.getText('text').insert(index, String(index % 10));
      for (const update of updates.slice(0, 10)) await store.updates.appendUpdates('d', [update]);
      // The segment as a crash (SIGKILL, power) leaves it: at full size, zeros after the last commit.
      const [segment] = segmentFiles(temp.path);
      const atCrash = readFileSync(segment!);
      await store.close();
      const { records, validEnd } = scanSegment(atCrash);
      expect(records).toHaveLength(10);
      expect(atCrash.byteLength).toBe(segmentBytes);
      /** A copy of `atCrash`, changed by `change`. */
      const variant = (change: (copy: Buffer) => void): Buffer => {
        const copy = Buffer.from(atCrash);
        change(copy);
        return copy;
      };
      // The first 30 bytes of a commit that was never acknowledged, declaring 200.
      const tornStart = Buffer.from(atCrash.subarray(records[0]!.offset, records[0]!.offset + 30));
      tornStart.writeUInt32LE(200, 0);
      const cutOff = variant((copy) => tornStart.copy(copy, validEnd));
      // The same commit reached the disk in pieces: its start, then zeros, then a later page of it.
      const inPieces = variant((copy) => {
        tornStart.copy(copy, validEnd);
        copy.fill(0xa5, validEnd + 8192, validEnd + 8292);
      });
      /** A bit flipped in the last byte of record `index`. */
      const flippedIn = (index: number) => variant((copy) => (copy[records[index]!.offset + records[index]!.length - 1]! ^= 0x01));
      // A bit flipped in the third record: seven whole records after it.
      const flipped = flippedIn(2);
      // The third record's length corrupted to point into the zeros (it would pass for a torn end).
      const longLength = variant((copy) => copy.writeUInt32LE(segmentBytes - records[2]!.offset - 100, records[2]!.offset));
      // A bit flipped in the second-to-last record: one whole record after it (which may end in zeros).
      const flippedLate = flippedIn(8);
      for (const [name, bytes, damaged] of [
        ['flipped late', flippedLate, '01234567'],
        ['cut off', cutOff, false],
        ['in pieces', inPieces, false],
        ['flipped bit', flipped, true],
        ['long length', longLength, true],
      ] as const) {
        for (const other of segmentFiles(temp.path).slice(1)) rmSync(other);
        writeFileSync(segment!, bytes);
        warnings.length = 0;
        store = open();
        expect(warnings, name).toHaveLength(damaged ? 1 : 0);
        expect(replayedText(await store.updates.loadDocument('d')), name).toBe(typeof damaged === 'string' ? damaged : damaged ? '01' : '0123456789');
        await store.close();
      }
      // After the torn end, new commits go to a new segment; the old one is read, never written again.
      writeFileSync(segment!, inPieces);
      store = open();
      for (const update of updates.slice(10)) await store.updates.appendUpdates('d', [update]);
      expect(segmentFiles(temp.path)).toHaveLength(2);
      expect(replayedText(await store.updates.loadDocument('d'))).toBe('012345678901');
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('journal: a slow commit on the event loop sends the next ones to the thread pool, with one warning, and every commit is kept', async () => {
    const temp = makeTempDir();
    const warnings: [string, Record<string, unknown>][] = [];
    // Every real write is slower than this limit: the first commit on the event loop is "slow".
    let store = new SqliteStore({ dataDir: temp.path, journalInlineWriteLimitMs: 1e-9, onWarning: (message, details) => warnings.push([message, details]) });
    try {
      const { doc, updates } = recordingDoc();
      for (let index = 0; index < 5; index++) {
        doc.getText('text').insert(0, `${index}`);
        await store.updates.appendUpdates('slow', [updates.at(-1)!]); // one commit each
      }
      // The first commit warned and moved the rest (within the second's backoff) to the pool.
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.[0]).toMatch(/thread pool/);
      expect(warnings[0]?.[1]).toMatchObject({ backoffMs: 1000 });
      await store.close();
      store = new SqliteStore({ dataDir: temp.path, journalInlineWriteLimitMs: 0 });
      expect(replayedText(await store.updates.loadDocument('slow'))).toBe(doc.getText('text').toString());
      // Always the pool: commits kept too.
      doc.getText('text').insert(0, 'pool ');
      await store.updates.appendUpdates('slow', [updates.at(-1)!]);
      await store.close();
      store = new SqliteStore({ dataDir: temp.path });
      expect(replayedText(await store.updates.loadDocument('slow'))).toBe(doc.getText('text').toString());
      expect(warnings).toHaveLength(1);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('journal: segments whose records snapshots cover are deleted, also when a deletion was lost in a crash', async () => {
    const temp = makeTempDir();
    let store = new SqliteStore({ dataDir: temp.path, journalSegmentBytes: 2048 });
    try {
      const { doc, updates } = recordingDoc();
      for (let index = 0; index < 300; index++) doc.getText('text').insert(index, 'abcdefghij');
      let last = 0;
      for (const update of updates.slice(0, 200)) last = (await store.updates.appendUpdates('d', [update]))[0]!;
      const segments = segmentFiles(temp.path);
      expect(segments.length).toBeGreaterThan(3);
      const kept = join(temp.path, 'kept.log');
      copyFileSync(segments[0]!, kept);
      expect(await store.updates.compactInStore!('d', last)).toBeGreaterThan(0);
      // Only the segment being written is left.
      expect(segmentFiles(temp.path)).toEqual([segments.at(-1)]);
      for (const update of updates.slice(200)) await store.updates.appendUpdates('d', [update]);
      await store.close();
      // The deletion of the first segment did not survive a crash.
      copyFileSync(kept, segments[0]!);
      store = new SqliteStore({ dataDir: temp.path, journalSegmentBytes: 2048 });
      expect(segmentFiles(temp.path)).not.toContain(segments[0]);
      const loaded = await store.updates.loadDocument('d');
      expect(loaded.snapshotSeq).toBe(last);
      expect(loaded.updates).toHaveLength(100);
      expect(replayedText(loaded)).toBe(doc.getText('text').toString());
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('journal: a document that keeps old segments alive is compacted once too many are sealed', async () => {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path, journalSegmentBytes: 2048, maxSealedSegments: 2 });
    try {
      const { doc: quiet, updates: quietUpdates } = recordingDoc();
      quiet.getText('text').insert(0, 'en rad i början');
      await store.updates.appendUpdates('quiet', quietUpdates);
      const { doc: busy, updates: busyUpdates } = recordingDoc();
      for (let index = 0; index < 200; index++) busy.getText('text').insert(index, 'abcdefghij');
      // Nobody compacts either document: the journal grows segment by segment.
      for (const update of busyUpdates) await store.updates.appendUpdates('busy', [update]);
      const deadline = Date.now() + 5000;
      // At most two sealed segments and the one being written.
      while (segmentFiles(temp.path).length > 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(segmentFiles(temp.path).length).toBeLessThanOrEqual(3);
      for (const [documentId, source] of [['quiet', quiet], ['busy', busy]] as const) {
        const loaded = await store.updates.loadDocument(documentId);
        expect(loaded.snapshot).not.toBeNull();
        expect(replayedText(loaded)).toBe(source.getText('text').toString());
      }
      expect((await store.updates.loadDocument('quiet')).updates).toEqual([]);
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('keeps a large snapshot in a file of its own, replaces it, and deletes files no row names at open', async () => {
    const temp = makeTempDir();
    const snapshots = join(temp.path, 'snapshots');
    let store = new SqliteStore({ dataDir: temp.path });
    try {
      const { doc, updates } = recordingDoc();
      doc.getText('text').insert(0, 'liten');
      let [seq] = await store.updates.appendUpdates('d', updates.splice(0));
      expect(await store.updates.compactInStore!('d', seq!)).toBeLessThan(100);
      expect(readdirSync(snapshots)).toEqual([]); // small: in the row
      doc.getText('text').insert(5, 'x'.repeat(40_000));
      [seq] = await store.updates.appendUpdates('d', updates.splice(0));
      expect(await store.updates.compactInStore!('d', seq!)).toBeGreaterThan(40_000);
      const [first] = readdirSync(snapshots);
      expect(first).toMatch(/\.snap$/);
      doc.getText('text').insert(0, 'större ');
      [seq] = await store.updates.appendUpdates('d', updates.splice(0));
      expect(await store.updates.compactInStore!('d', seq!)).toBeGreaterThan(40_000);
      // The replaced file is gone; the row names the new one and its data is empty.
      const files = readdirSync(snapshots);
      expect(files).toHaveLength(1);
      expect(files[0]).not.toBe(first);
      const db = new Database(store.filename, { readonly: true });
      const row = db.prepare('SELECT file, length(data) AS bytes FROM document_snapshots WHERE document_id = ?').get('d') as { file: string; bytes: number };
      db.close();
      expect(row).toEqual({ file: files[0], bytes: 0 });
      const loaded = await store.updates.loadDocument('d');
      const replayed = new Y.Doc();
      Y.applyUpdate(replayed, loaded.snapshot!);
      expect(replayed.getText('text').toString()).toBe(doc.getText('text').toString());
      await store.close();
      // A file written by a compaction whose row never committed.
      writeFileSync(join(snapshots, 'ZA.999.snap'), 'föräldralös');
      store = new SqliteStore({ dataDir: temp.path });
      expect(readdirSync(snapshots)).toEqual(files);
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, (await store.updates.loadDocument('d')).snapshot!);
      expect(reloaded.getText('text').toString()).toBe(doc.getText('text').toString());
    } finally {
      await store.close();
      temp.remove();
    }
  });

  it('holds its data folder: a second store on it, here or in another process, is refused until the first closes', async () => {
    const temp = makeTempDir();
    const first = new SqliteStore({ dataDir: temp.path });
    try {
      expect(() => new SqliteStore({ dataDir: temp.path })).toThrow(/in use by another Samverkan server/);
      const other = spawnSync(
        process.execPath,
        [
          '-e',
          `const Database = require('better-sqlite3');
           const db = new Database(process.argv[1]);
           db.pragma('busy_timeout = 0');
           try { db.exec('BEGIN EXCLUSIVE'); console.log('taken'); } catch (error) { console.log(error.code); }`,
          join(temp.path, 'samverkan.lock'),
        ],
        { cwd: fileURLToPath(new URL('../../..', import.meta.url)), encoding: 'utf8' },
      );
      expect(other.stdout.trim()).toBe('SQLITE_BUSY');
      await first.updates.appendUpdates('d', [new Uint8Array([0, 0])]);
    } finally {
      await first.close();
    }
    const second = new SqliteStore({ dataDir: temp.path });
    try {
      expect((await second.updates.loadDocument('d')).updates).toHaveLength(1);
    } finally {
      await second.close();
      temp.remove();
    }
  });

  it('journal: damage in the middle of a segment is reported and the segment kept, never deleted', async () => {
    const temp = makeTempDir();
    let store = new SqliteStore({ dataDir: temp.path });
    const warnings: string[] = [];
    try {
      const { doc, updates } = recordingDoc();
      for (let index = 0; index < 10; index++) doc.getText('text').insert(index, 'y');
      for (const update of updates) await store.updates.appendUpdates('d', [update]);
      await store.close();
      const [segment] = segmentFiles(temp.path);
      const bytes = readFileSync(segment!);
      const records = scanSegment(bytes).records;
      // A flipped bit in the third record: the seven after it cannot be found any more.
      bytes[records[2]!.offset + records[2]!.length - 1]! ^= 0x01;
      writeFileSync(segment!, bytes);
      store = new SqliteStore({ dataDir: temp.path, onWarning: (message, details) => warnings.push(`${message} ${String(details.path)}`) });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(segment);
      const loaded = await store.updates.loadDocument('d');
      expect(loaded.updates).toHaveLength(2);
      // Compacting what could be read covers every record it knows: the segment stays all the same.
      expect(await store.updates.compactInStore!('d', loaded.updates.at(-1)!.seq)).toBeGreaterThan(0);
      await store.updates.appendUpdates('d', [updates[2]!]);
      expect(segmentFiles(temp.path)).toContain(segment);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
