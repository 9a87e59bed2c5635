import type * as Y from 'yjs';
import { META_MAP, SCHEMA_VERSION, getSchemaVersion } from './DocumentMeta.js';

/**
 * A migration turns a document of version `n - 1` into version `n`. It must be deterministic
 * and only derive new values from the document itself, so that two servers migrating the same
 * document at once produce the same result as one (their concurrent writes carry equal values).
 */
export type Migration = (doc: Y.Doc) => void;

/** Released migrations, by the version they produce. Version 1 is the first. */
export const migrations: Readonly<Record<number, Migration>> = {
  // Version 2 reads the plain strings of version 1's free-text fields as they are and turns
  // each into a Y.Text at its first change (`writeText`), so a document needs no rewriting:
  // rewriting every field at once would only add bytes and, done by two servers at the same
  // time, two Y.Texts per field. Only the version number moves.
  2: () => undefined,
};

/**
 * Upgrades a document to `target` (default: this build's schema version) in one transaction.
 * A document without a version is taken as version 1. Newer documents are left alone (the
 * server's schema gate keeps older code from writing to them).
 */
export function migrateDocument(
  doc: Y.Doc,
  options: { migrations?: Readonly<Record<number, Migration>>; target?: number } = {},
): { from: number; to: number } {
  const steps = options.migrations ?? migrations;
  const target = options.target ?? SCHEMA_VERSION;
  const from = Math.max(1, getSchemaVersion(doc));
  if (from >= target) return { from, to: from };
  for (let version = from + 1; version <= target; version++) {
    if (!steps[version]) throw new Error(`no migration to schema version ${version}`);
  }
  doc.transact(() => {
    for (let version = from + 1; version <= target; version++) (steps[version] as Migration)(doc);
    doc.getMap(META_MAP).set('schemaVersion', target);
  });
  return { from, to: target };
}
