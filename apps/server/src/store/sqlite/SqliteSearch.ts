import type Database from 'better-sqlite3';
import type { SearchHit, SearchIndex } from '../ports.js';
import { searchWords } from '../searchWords.js';
import type { WriteFn } from './SqliteAccounts.js';

/**
 * Turns what a user typed into an FTS5 query: every word must match, as a prefix (so
 * "värmepump" finds "Värmepumparna"); quotes and operators in the input are taken literally.
 * Returns null when nothing searchable remains.
 */
export function ftsQuery(input: string): string | null {
  const words = searchWords(input);
  if (words.length === 0) return null;
  return words.map((word) => `"${word.replace(/"/g, '""')}"*`).join(' ');
}

interface HitRow {
  document_id: string;
  item_id: string | null;
  sector: string | null;
  status: string | null;
  title: string;
  snippet: string;
}

/** Search on SQLite FTS5; writes go through the writer worker like every other write. */
export function createSqliteSearch(db: Database.Database, write: WriteFn): SearchIndex {
  return {
    async replaceDocument(documentId, entries) {
      await write([
        { sql: 'DELETE FROM search_index WHERE document_id = ?', params: [documentId] },
        ...entries.map((entry) => ({
          sql: 'INSERT INTO search_index (document_id, item_id, sector, status, title, body) VALUES (?, ?, ?, ?, ?, ?)',
          params: [entry.documentId, entry.itemId, entry.sector, entry.status, entry.title, entry.body],
        })),
      ]);
    },
    async removeDocument(documentId) {
      await write([{ sql: 'DELETE FROM search_index WHERE document_id = ?', params: [documentId] }]);
    },
    async search(query, { documentIds, limit }) {
      const match = ftsQuery(query);
      if (!match || documentIds.length === 0) return [];
      const hits: SearchHit[] = [];
      // Bounded parameter lists: search the readable documents in slices.
      for (let start = 0; start < documentIds.length && hits.length < limit; start += 500) {
        const slice = documentIds.slice(start, start + 500);
        const rows = db
          .prepare(
            `SELECT document_id, item_id, sector, status,
                    highlight(search_index, 4, char(2), char(3)) AS title,
                    snippet(search_index, 5, char(2), char(3), '…', 16) AS snippet
               FROM search_index
              WHERE search_index MATCH ? AND document_id IN (${slice.map(() => '?').join(', ')})
              ORDER BY rank
              LIMIT ?`,
          )
          .all(match, ...slice, limit - hits.length) as HitRow[];
        for (const row of rows) {
          hits.push({ documentId: row.document_id, itemId: row.item_id, title: row.title, snippet: row.snippet, sector: row.sector, status: row.status });
        }
      }
      return hits;
    },
  };
}
