import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Store } from '../../store/ports.js';
import type { Extension } from '../Extension.js';

/** Options of the persistence extension. */
export interface PersistenceOptions {
  /**
   * Compact (snapshot + drop covered updates) once a document's update tail reaches this
   * many updates (default 500), so a load never merges more than about a thousand updates.
   */
  compactAfterUpdates?: number;
  /** Updates merged per step when a long tail is loaded (default 1000). */
  loadChunkSize?: number;
}

interface TailState {
  /** Updates stored after the latest snapshot. */
  count: number;
  compacting: boolean;
}

/** Origin of the transaction that fills a document from the store. */
export const LOAD_ORIGIN = Symbol('samverkan-load');

/**
 * Loads documents from the store and makes every write durable before the core relays it;
 * compacts a document's update log in the background when its tail grows.
 */
export function createPersistenceExtension(store: Store, log: Logger, options: PersistenceOptions = {}): Extension {
  const compactAfter = options.compactAfterUpdates ?? 500;
  const chunkSize = options.loadChunkSize ?? 1000;
  const tails = new Map<string, TailState>();

  const compact = (documentId: string, doc: Y.Doc, state: TailState, upToSeq: number): void => {
    state.compacting = true;
    const covered = state.count;
    const snapshot = Y.encodeStateAsUpdate(doc);
    store.updates
      .compact(documentId, snapshot, upToSeq)
      .then((written) => {
        if (written) state.count = Math.max(0, state.count - covered);
      })
      .catch((error: unknown) => log.warn({ err: error, documentId }, 'compaction failed; will retry later'))
      .finally(() => {
        state.compacting = false;
      });
  };

  return {
    name: 'persistence',
    async load({ documentId, doc }) {
      const loaded = await store.updates.loadDocument(documentId);
      doc.transact(() => {
        if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
        for (let start = 0; start < loaded.updates.length; start += chunkSize) {
          const chunk = loaded.updates.slice(start, start + chunkSize).map((stored) => stored.data);
          Y.applyUpdate(doc, chunk.length === 1 ? (chunk[0] as Uint8Array) : Y.mergeUpdates(chunk));
        }
      }, LOAD_ORIGIN);
      const state: TailState = { count: loaded.updates.length, compacting: false };
      tails.set(documentId, state);
      const lastSeq = loaded.updates.at(-1)?.seq;
      if (lastSeq !== undefined && state.count >= compactAfter) compact(documentId, doc, state, lastSeq);
    },
    async store({ documentId, updates }) {
      return { seqs: await store.updates.appendUpdates(documentId, updates) };
    },
    change({ documentId, doc, seq }) {
      const state = tails.get(documentId);
      if (!state || seq === undefined) return;
      state.count++;
      if (state.count >= compactAfter && !state.compacting) compact(documentId, doc, state, seq);
    },
    async unload({ documentId }) {
      tails.delete(documentId);
    },
  };
}
