import type { SearchHit, SearchIndex } from '../ports.js';
import { searchWords } from '../searchWords.js';
import { textSearch } from './queries.js';
import type { MongoModels, SearchEntryDoc } from './schemas.js';

/** Marks case-insensitive prefix matches of `words` with \u0002 … \u0003. */
export function markMatches(text: string, words: string[]): string {
  if (words.length === 0) return text;
  const pattern = new RegExp(`(${words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})[\\p{L}\\p{N}]*`, 'giu');
  return text.replace(pattern, (match) => `\u0002${match}\u0003`);
}

/** A short excerpt around the first match. */
function excerpt(text: string, words: string[]): string {
  const lower = text.toLocaleLowerCase('sv');
  const positions = words.map((word) => lower.indexOf(word.toLocaleLowerCase('sv'))).filter((index) => index >= 0);
  const at = positions.length > 0 ? Math.min(...positions) : 0;
  const start = Math.max(0, at - 60);
  const end = Math.min(text.length, at + 100);
  return `${start > 0 ? '…' : ''}${markMatches(text.slice(start, end), words)}${end < text.length ? '…' : ''}`;
}

/** Search on a MongoDB text index (Swedish stemming). */
export function createMongoSearch(models: MongoModels): SearchIndex {
  return {
    async replaceDocument(documentId, entries) {
      await models.searchEntries.deleteMany({ documentId });
      if (entries.length > 0) await models.searchEntries.insertMany(entries);
    },
    async removeDocument(documentId) {
      await models.searchEntries.deleteMany({ documentId });
    },
    async search(query, { documentIds, limit }) {
      const words = searchWords(query);
      if (words.length === 0 || documentIds.length === 0) return [];
      const docs = await models.searchEntries
        .find(textSearch(words, documentIds), { score: { $meta: 'textScore' } })
        .sort({ score: { $meta: 'textScore' } })
        .limit(limit)
        .lean<SearchEntryDoc[]>();
      return docs.map(
        (doc): SearchHit => ({
          documentId: doc.documentId,
          itemId: doc.itemId,
          title: markMatches(doc.title, words),
          snippet: excerpt(doc.body, words),
          sector: doc.sector,
          status: doc.status,
        }),
      );
    },
  };
}
