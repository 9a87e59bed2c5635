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
  `CREATE TABLE network (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   -- name_key: the name lower-cased by the server (SQLite's NOCASE folds ASCII only, not å ä ö).
   CREATE TABLE organisations (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     name_key TEXT NOT NULL,
     kind TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX organisations_by_name ON organisations (name_key);
   CREATE TABLE users (
     id TEXT PRIMARY KEY,
     organisation_id TEXT NOT NULL REFERENCES organisations (id),
     email TEXT NOT NULL,
     name TEXT NOT NULL,
     role TEXT NOT NULL,
     language TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     deactivated_at TEXT
   );
   CREATE UNIQUE INDEX users_by_email ON users (email);
   CREATE INDEX users_by_organisation ON users (organisation_id);
   CREATE TABLE groups (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE group_members (
     group_id TEXT NOT NULL REFERENCES groups (id),
     organisation_id TEXT NOT NULL REFERENCES organisations (id),
     PRIMARY KEY (group_id, organisation_id)
   );
   CREATE INDEX group_members_by_organisation ON group_members (organisation_id);
   CREATE TABLE invitations (
     token_hash TEXT PRIMARY KEY,
     email TEXT NOT NULL,
     organisation_id TEXT NOT NULL REFERENCES organisations (id),
     role TEXT NOT NULL,
     invited_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     used_at TEXT
   );
   CREATE TABLE password_resets (
     token_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id),
     created_by TEXT,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     used_at TEXT
   );
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id),
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE INDEX sessions_by_user ON sessions (user_id);
   CREATE TABLE audit_log (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     actor_id TEXT,
     action TEXT NOT NULL,
     target_id TEXT,
     at TEXT NOT NULL
   );
   ALTER TABLE documents ADD COLUMN owner_organisation_id TEXT;
   ALTER TABLE documents ADD COLUMN created_by TEXT;
   CREATE TABLE shares (
     id TEXT PRIMARY KEY,
     document_id TEXT NOT NULL REFERENCES documents (id),
     principal_type TEXT NOT NULL,
     principal_id TEXT NOT NULL,
     role TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX shares_by_principal ON shares (document_id, principal_type, principal_id);
   CREATE INDEX shares_by_principal_id ON shares (principal_id);`,
  // Full-text search. remove_diacritics 0: å, ä and ö stay letters of their own ("far" does
  // not find "får"); unicode61 folds case for every script ("ÖVERSIKTSPLAN" finds "översiktsplan").
  `CREATE VIRTUAL TABLE search_index USING fts5 (
     document_id UNINDEXED,
     item_id UNINDEXED,
     sector UNINDEXED,
     status UNINDEXED,
     title,
     body,
     tokenize = "unicode61 remove_diacritics 0"
   );`,
  `ALTER TABLE documents ADD COLUMN facts TEXT;`,
  `CREATE TABLE adoptions (
     id TEXT PRIMARY KEY,
     source_document_id TEXT NOT NULL,
     source_item_id TEXT,
     target_document_id TEXT NOT NULL,
     target_item_id TEXT NOT NULL,
     adopted_by TEXT NOT NULL,
     adopted_at TEXT NOT NULL
   );
   CREATE INDEX adoptions_by_source ON adoptions (source_document_id);`,
  // A row may hold several updates (one document's share of one commit) back to back in
  // `data`; `sizes` then lists their byte lengths as varUints. NULL: the row is one update
  // (every row written before this migration).
  `ALTER TABLE document_updates ADD COLUMN sizes BLOB;`,
  // A large snapshot lives in a file of its own (snapshotFiles.js); `data` is then empty.
  `ALTER TABLE document_snapshots ADD COLUMN file TEXT;`,
  // Finding one entry by its time (a retried record: has it been stored after all?).
  `CREATE INDEX audit_log_by_at ON audit_log (at);`,
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
