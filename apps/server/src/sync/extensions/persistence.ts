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
  doc: Y.Doc;
  /** Updates stored after the latest snapshot. */
  count: number;
  /** Seq of the latest update applied to `doc`. */
  lastSeq: number;
  /** Highest seq a stored snapshot is known to cover. */
  coveredSeq: number;
  /** The compaction in flight, if any. */
  compacting: Promise<void> | null;
  unloaded: boolean;
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

  const compact = (documentId: string, state: TailState): Promise<void> => {
    const covered = state.count;
    const upToSeq = state.lastSeq;
    // Prefer compaction inside the store (off the event loop); else snapshot the room's doc here.
    const compacting = store.updates.compactInStore
      ? store.updates.compactInStore(documentId, upToSeq)
      : store.updates.compact(documentId, Y.encodeStateAsUpdate(state.doc), upToSeq);
    const run = compacting
      .then(() => {
        // Written, or refused because a snapshot covering as much is already stored: either
        // way everything up to `upToSeq` is covered.
        state.count = Math.max(0, state.count - covered);
        state.coveredSeq = Math.max(state.coveredSeq, upToSeq);
      })
      .catch((error: unknown) => log.warn({ err: error, documentId }, 'compaction failed; will retry later'))
      .finally(() => {
        state.compacting = null;
        // Writes applied while this compaction ran may already have grown a new tail. Only
        // updates with a later seq can be compacted again (a batch's updates share one seq).
        if (!state.unloaded && state.count >= compactAfter && state.lastSeq > state.coveredSeq) void compact(documentId, state);
      });
    state.compacting = run;
    return run;
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
      const lastSeq = loaded.updates.at(-1)?.seq ?? loaded.snapshotSeq;
      const state: TailState = {
        doc,
        count: loaded.updates.length,
        lastSeq,
        coveredSeq: loaded.snapshotSeq,
        compacting: null,
        unloaded: false,
      };
      tails.set(documentId, state);
      if (state.count >= compactAfter) void compact(documentId, state);
    },
    async store({ documentId, updates }) {
      return { seqs: await store.updates.appendUpdates(documentId, updates) };
    },
    change({ documentId, seq }) {
      const state = tails.get(documentId);
      if (!state || seq === undefined) return;
      state.count++;
      state.lastSeq = seq;
      if (state.count >= compactAfter && !state.compacting && state.lastSeq > state.coveredSeq) void compact(documentId, state);
    },
    async unload({ documentId }) {
      const state = tails.get(documentId);
      tails.delete(documentId);
      if (!state) return;
      state.unloaded = true;
      if (state.compacting) await state.compacting;
      // Leave a short tail for the next load: compact what is left if it is long.
      if (state.count >= Math.ceil(compactAfter / 2) && state.lastSeq > state.coveredSeq) await compact(documentId, state);
    },
  };
}
