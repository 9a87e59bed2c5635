import type * as Y from 'yjs';

/**
 * Schema version of the Yjs document models this build reads and writes.
 * Bump it (and add a migration) whenever a model changes shape; the sync server refuses
 * writes from clients that announce an older version.
 *
 * - 1: the first release.
 * - 2: free-text fields (a measure's title, status reason, …; a target's indicator, unit and
 *   scope; a pilot's theme) are Y.Texts, so concurrent typing merges. A client of version 1
 *   would read them as empty and replace them with its plain string: the gate stops it.
 *   Documents are not rewritten (no migration runs on load), so their `schemaVersion` stays
 *   1 while their fields turn into Y.Texts one by one: a later migration must expect a plain
 *   string or a Y.Text in each free-text field, whatever version a document says.
 */
export const SCHEMA_VERSION = 2;

/** Name of the top-level map every Samverkan document carries. */
export const META_MAP = 'meta';

/** Kinds of collaborative documents (mirrors the catalogue's `type`). */
export type DocumentKind = 'plan' | 'pilot' | 'board';

/** Fields of the `meta` map. Yjs documents hold user ids, never names or e-mail addresses. */
export interface DocumentMetaFields {
  schemaVersion: number;
  kind: DocumentKind;
  title: string;
}

function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_MAP);
}

/**
 * Writes the initial `meta` of a new document. Called by the server through
 * `applyServerChange` when a document is created.
 */
export function initDocument(doc: Y.Doc, fields: { kind: DocumentKind; title: string }): void {
  doc.transact(() => {
    const meta = metaMap(doc);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('kind', fields.kind);
    meta.set('title', fields.title);
  });
}

/** The document's schema version, or 0 for a document that has none yet. */
export function getSchemaVersion(doc: Y.Doc): number {
  const value = metaMap(doc).get('schemaVersion');
  return typeof value === 'number' ? value : 0;
}

/** The document title, or the empty string. */
export function getTitle(doc: Y.Doc): string {
  const value = metaMap(doc).get('title');
  return typeof value === 'string' ? value : '';
}

/** Sets the title (the catalogue mirrors it). */
export function setTitle(doc: Y.Doc, title: string): void {
  metaMap(doc).set('title', title);
}
