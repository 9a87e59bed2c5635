import { type DocumentFacts, extractEntries, extractFacts } from '@samverkan/model';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { Store } from '../../store/ports.js';
import type { Extension } from '../Extension.js';

/** Options of the search indexer. */
export interface SearchIndexerOptions {
  /** Re-index a changed document at most this often (default 1000 ms). */
  delayMs?: number;
  /** Called with how long after the change the index was updated (metrics, tests). */
  onIndexed?: (documentId: string, delayMs: number) => void;
}

/**
 * Keeps the search index in step with documents as they change: debounced and off the hot
 * path (a timer per changed document), flushed when a document unloads. Listings and search
 * never load Yjs documents.
 */
export function createSearchIndexer(store: Store, log: Logger, options: SearchIndexerOptions = {}): Extension {
  const delay = options.delayMs ?? 1000;
  const pending = new Map<string, { timer: NodeJS.Timeout; since: number; doc: Y.Doc }>();
  const contributors = new Map<string, Set<string>>();

  const index = async (documentId: string, doc: Y.Doc, since: number): Promise<void> => {
    const entries = extractEntries(doc).map((entry) => ({ ...entry, documentId }));
    await store.search.replaceDocument(documentId, entries);
    // Contributors accumulate over time: merge those of this session with the stored ones.
    const previous = (await store.documents.getFacts([documentId])).get(documentId);
    const known = new Set<string>(previous ? ((JSON.parse(previous) as DocumentFacts).contributorIds ?? []) : []);
    for (const userId of contributors.get(documentId) ?? []) known.add(userId);
    contributors.delete(documentId);
    await store.documents.setFacts(documentId, JSON.stringify({ ...extractFacts(doc), contributorIds: [...known].sort() }));
    options.onIndexed?.(documentId, Date.now() - since);
  };

  return {
    name: 'search',
    change({ documentId, doc, origin }) {
      if (origin.kind === 'connection' && origin.userId) {
        const set = contributors.get(documentId) ?? new Set<string>();
        set.add(origin.userId);
        contributors.set(documentId, set);
      }
      if (pending.has(documentId)) return;
      const since = Date.now();
      const timer = setTimeout(() => {
        pending.delete(documentId);
        index(documentId, doc, since).catch((error: unknown) => log.warn({ err: error, documentId }, 'search indexing failed'));
      }, delay);
      pending.set(documentId, { timer, since, doc });
    },
    async unload({ documentId, doc }) {
      const entry = pending.get(documentId);
      if (!entry) return;
      clearTimeout(entry.timer);
      pending.delete(documentId);
      await index(documentId, doc, entry.since);
    },
  };
}
