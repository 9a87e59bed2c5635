import { type DocumentFacts, extractEntries, extractFacts, parseFacts } from '@samverkan/model';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { Store } from '../../store/ports.js';
import type { Extension } from '../Extension.js';

/** Options of the search indexer. */
export interface SearchIndexerOptions {
  /** How long after a document's first unindexed change it is indexed (default 1000 ms). */
  delayMs?: number;
  /** A document edited without pause is indexed at most this often (default 5 × delayMs). */
  minIntervalMs?: number;
  /**
   * Under load the interval grows by this much per document waiting to be indexed (default
   * 100 ms), so that the indexer reads at most about ten busy documents a second however many
   * change: indexing reads the whole document, and with 200 boards edited all the time, each
   * indexed every 5 s, it took 5–10% of the server's CPU (fan-out benchmark profile). One
   * document edited alone is still indexed every `minIntervalMs`; 200 busy ones every 20 s.
   */
  intervalPerWaitingMs?: number;
  /** Pause between two documents' index writes, so that update commits are not held behind a burst (default 10 ms). */
  gapMs?: number;
  /** Called with how long after the change the index was updated (metrics, tests). */
  onIndexed?: (documentId: string, delayMs: number) => void;
}

/**
 * Version of what the index holds of a document (the entries' fields, the search table's
 * tokenizer): part of the digest kept with the facts, so raising it when either changes makes
 * every document's first indexing after the upgrade rewrite its entries.
 */
const INDEX_FORMAT = 1;

/**
 * Keeps the search index in step with documents as they change, off the hot path: a timer per
 * changed document (the first change waits `delayMs`, a document edited without pause is
 * indexed at most every `minIntervalMs`, or every `intervalPerWaitingMs` × the documents waiting
 * when that is longer), and documents that are due are indexed one at a time
 * with a short gap, so the store's writer never holds many index transactions in a row in front
 * of update commits (those decide how fast edits reach others). Flushed when a document unloads.
 * Listings and search never load Yjs documents.
 */
export function createSearchIndexer(store: Store, log: Logger, options: SearchIndexerOptions = {}): Extension {
  const delay = options.delayMs ?? 1000;
  const minInterval = options.minIntervalMs ?? delay * 5;
  const perWaiting = options.intervalPerWaitingMs ?? 100;
  const gap = options.gapMs ?? 10;
  const pending = new Map<string, { timer: NodeJS.Timeout; since: number; doc: Y.Doc }>();
  const lastIndexed = new Map<string, number>();
  /** Documents whose timer fired, in order, waiting for the one index writer loop. */
  const due = new Map<string, { since: number; doc: Y.Doc }>();
  let draining = false;
  const contributors = new Map<string, Set<string>>();
  /**
   * What was last written for a loaded document: digests of its index entries and facts, and
   * its contributors as stored. A change that alters neither (presence-only edits, formatting,
   * text outside the indexed fields) costs no store write. Keyed by the room's Y.Doc, so it
   * lives exactly as long as that load: the next load starts from the store again.
   */
  const written = new WeakMap<Y.Doc, { entries: string; facts: string; contributors: Set<string> }>();
  const digest = (value: unknown): string => createHash('sha1').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('base64');

  const index = async (documentId: string, doc: Y.Doc, since: number): Promise<void> => {
    lastIndexed.set(documentId, Date.now());
    const entries = extractEntries(doc).map((entry) => ({ ...entry, documentId }));
    const entriesDigest = digest({ format: INDEX_FORMAT, entries });
    let last = written.get(doc);
    if (!last) {
      // The first indexing of this load starts from what the store holds: the facts, with the
      // contributors so far and the digest of the entries indexed last. A document opened and
      // edited outside its indexed text (a board's notes, formatting) rewrites nothing.
      const previous = (await store.documents.getFacts([documentId])).get(documentId);
      const stored = previous ? parseFacts(previous) : null;
      last = {
        entries: typeof stored?.indexDigest === 'string' ? stored.indexDigest : '',
        facts: previous ? digest(previous) : '',
        contributors: new Set<string>(Array.isArray(stored?.contributorIds) ? stored.contributorIds : []),
      };
    }
    if (entriesDigest !== last.entries) await store.search.replaceDocument(documentId, entries);
    // Contributors accumulate over time: merge those of this session with the stored ones.
    const known = last.contributors;
    for (const userId of contributors.get(documentId) ?? []) known.add(userId);
    contributors.delete(documentId);
    const facts = JSON.stringify({ ...extractFacts(doc), contributorIds: [...known].sort(), indexDigest: entriesDigest } satisfies DocumentFacts);
    const factsDigest = digest(facts);
    if (factsDigest !== last.facts) await store.documents.setFacts(documentId, facts);
    written.set(doc, { entries: entriesDigest, facts: factsDigest, contributors: known });
    options.onIndexed?.(documentId, Date.now() - since);
  };

  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      for (const [documentId, entry] of due) {
        due.delete(documentId);
        await index(documentId, entry.doc, entry.since).catch((error: unknown) => log.warn({ err: error, documentId }, 'search indexing failed'));
        if (due.size > 0) await new Promise((resolve) => setTimeout(resolve, gap));
      }
    } finally {
      draining = false;
    }
  };

  return {
    name: 'search',
    change({ documentId, doc, origin }) {
      if (origin.kind === 'connection' && origin.userId) {
        const set = contributors.get(documentId) ?? new Set<string>();
        set.add(origin.userId);
        contributors.set(documentId, set);
      }
      // Already waiting: index the room's latest document (a room that rested meanwhile made a new one).
      const waiting = pending.get(documentId) ?? due.get(documentId);
      if (waiting) {
        waiting.doc = doc;
        return;
      }
      const since = Date.now();
      // Documents waiting (this one included) stretch the interval: a busy meeting is indexed at a bounded rate.
      const interval = Math.max(minInterval, (pending.size + due.size + 1) * perWaiting);
      const wait = Math.max(delay, (lastIndexed.get(documentId) ?? 0) + interval - since);
      const timer = setTimeout(() => {
        const latest = pending.get(documentId)?.doc ?? doc;
        pending.delete(documentId);
        due.set(documentId, { since, doc: latest });
        void drain();
      }, wait);
      pending.set(documentId, { timer, since, doc });
    },
    async unload({ documentId, doc }) {
      const waiting = pending.get(documentId);
      const entry = waiting ?? due.get(documentId);
      lastIndexed.delete(documentId);
      if (!entry) return;
      if (waiting) clearTimeout(waiting.timer);
      pending.delete(documentId);
      due.delete(documentId);
      await index(documentId, doc(), entry.since);
    },
  };
}
