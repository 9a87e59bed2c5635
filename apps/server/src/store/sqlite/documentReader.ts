import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { scanSegment, segmentNumberOf } from './journalFormat.js';
import { snapshotBytes, snapshotDirOf } from './snapshotFiles.js';
import type { LoadedDocument, StoredUpdate } from '../ports.js';
import { splitRow } from './updateRows.js';

/** Builds the read of one document (latest snapshot + the updates after it) in one read transaction. */
export function createDocumentReader(db: Database.Database, snapshotDir: string): (documentId: string) => LoadedDocument {
  const selectSnapshot = db.prepare('SELECT seq, data, file FROM document_snapshots WHERE document_id = ?');
  const selectUpdates = db.prepare('SELECT seq, data, sizes FROM document_updates WHERE document_id = ? AND seq > ? ORDER BY seq');
  const read = db.transaction((documentId: string): LoadedDocument => {
    const row = selectSnapshot.get(documentId) as { seq: number; data: Buffer; file: string | null } | undefined;
    const snapshot = row ? { seq: row.seq, data: snapshotBytes(snapshotDir, row) } : undefined;
    const snapshotSeq = snapshot?.seq ?? 0;
    const rows = selectUpdates.all(documentId, snapshotSeq) as { seq: number; data: Buffer; sizes: Buffer | null }[];
    // A row holds the updates one commit stored for the document; they share its seq.
    const updates: StoredUpdate[] = rows.flatMap((stored) =>
      splitRow(new Uint8Array(stored.data), stored.sizes).map((data) => ({ seq: stored.seq, data })),
    );
    return { snapshot: snapshot ? new Uint8Array(snapshot.data) : null, snapshotSeq, updates };
  });
  return (documentId) => {
    // The writer commits a newer snapshot's row and then deletes the file the older row named: a
    // read that saw the older row may find its file gone, and then sees the newer row.
    for (let attempt = 1; ; attempt++) {
      try {
        return read(documentId);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
      }
    }
  };
}

/**
 * Reads a document straight from a store's files (the SQLite file with a read-only connection of
 * its own, and the journal segments beside it), for tools and for tests that check what another
 * process made durable.
 */
export function readDocumentFromFile(filename: string, documentId: string): LoadedDocument {
  const db = new Database(filename, { readonly: true, fileMustExist: true });
  let loaded: LoadedDocument;
  try {
    loaded = createDocumentReader(db, snapshotDirOf(filename))(documentId);
  } finally {
    db.close();
  }
  const dir = join(dirname(filename), 'journal');
  if (!existsSync(dir)) return loaded;
  const journaled: StoredUpdate[] = [];
  const names = readdirSync(dir).filter((name) => segmentNumberOf(name) !== null).sort();
  for (const name of names) {
    for (const record of scanSegment(readFileSync(join(dir, name))).records) {
      if (record.documentId !== documentId || record.seq <= loaded.snapshotSeq) continue;
      for (const data of record.updates) journaled.push({ seq: record.seq, data });
    }
  }
  journaled.sort((a, b) => a.seq - b.seq);
  return { ...loaded, updates: [...loaded.updates, ...journaled] };
}
