import type Database from 'better-sqlite3';

/**
 * Migrations of the embedded store, applied in order at start-up by the main thread before
 * the writer worker starts. Append new ones; never edit a released one.
 */
const migrations: string[] = [
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     title TEXT NOT NULL,
     visibility TEXT NOT NULL DEFAULT 'private',
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     deleted_at TEXT
   );
   -- AUTOINCREMENT: a seq is never reused after compaction deleted the highest one,
   -- so an update appended later can never hide behind a snapshot's seq.
   CREATE TABLE document_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     document_id TEXT NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX document_updates_by_document ON document_updates (document_id, seq);
   CREATE TABLE document_snapshots (
     document_id TEXT PRIMARY KEY,
     seq INTEGER NOT NULL,
     data BLOB NOT NULL,
     created_at TEXT NOT NULL
   );`,
];

/** Applies pending migrations; returns the schema version now in force. */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  const current = row.version ?? 0;
  const apply = db.transaction((version: number, sql: string) => {
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
  });
  for (let index = current; index < migrations.length; index++) {
    apply(index + 1, migrations[index] as string);
  }
  return migrations.length;
}
