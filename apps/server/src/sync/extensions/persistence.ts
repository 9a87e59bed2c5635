import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Store } from '../../store/ports.js';
import type { Extension } from '../Extension.js';

/** Options of the persistence extension. */
export interface PersistenceOptions {
  /**
   * Compact (snapshot + drop covered updates) once a document's update tail holds at least
   * this many updates (default 500) and at least {@link TAIL_TO_SNAPSHOT_BYTES} times the bytes
   * of the stored snapshot, so the snapshot is rewritten at most once per four times its own
   * size of updates (bounded write amplification) while a load reads at most about five times
   * the document's size (and never more than `maxTailUpdates` updates).
   */
  compactAfterUpdates?: number;
  /**
   * Compact regardless of bytes once the tail holds this many updates (default 50 ×
   * `compactAfterUpdates`), so a load of a large document never applies more than that.
   */
  maxTailUpdates?: number;
}

/**
 * Tail bytes per snapshot byte at which a document is compacted. With a growing document whose
 * state takes r bytes per byte of update, compaction writes about 1/k + r snapshot bytes per
 * byte of update (k this ratio): a snapshot is rewritten each time the updates after it reach k
 * times its size. Large snapshots are files written once, small ones SQLite rows written twice
 * (WAL, then checkpoint). The persistence benchmark (20 documents, 20,000 updates/s) measured
 * about 0.9 snapshot bytes per update byte with 2 and 0.6 with 4, with the journal's 1.8 on top;
 * a larger ratio lengthens the tail a load replays, which `maxTailUpdates` bounds.
 */
export const TAIL_TO_SNAPSHOT_BYTES = 4;

interface TailState {
  /** The room's committed state as one update (kept only for a store that cannot compact by itself). */
  encodeState: (() => Uint8Array) | null;
  /** Updates stored after the latest snapshot. */
  count: number;
  /** Their bytes. */
  tailBytes: number;
  /** Size of the latest stored snapshot (0 without one). */
  snapshotBytes: number;
  /** Seq of the latest update applied to `doc`. */
  lastSeq: number;
  /** Highest seq a stored snapshot is known to cover. */
  coveredSeq: number;
  /** The compaction in flight, if any: its run, and what it covers (updates of the tail, last seq). */
  compacting: { run: Promise<void>; count: number; upToSeq: number } | null;
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
  const maxTail = options.maxTailUpdates ?? compactAfter * 50;
  const tails = new Map<string, TailState>();

  /** Whether the tail is due for compaction (and has updates a snapshot does not cover yet). */
  const due = (state: TailState): boolean =>
    state.lastSeq > state.coveredSeq &&
    state.count >= compactAfter &&
    (state.tailBytes >= TAIL_TO_SNAPSHOT_BYTES * state.snapshotBytes || state.count >= maxTail);

  const compact = (documentId: string, state: TailState): Promise<void> => {
    const covered = state.count;
    const coveredBytes = state.tailBytes;
    const upToSeq = state.lastSeq;
    // Prefer compaction inside the store (off the event loop); else snapshot the room's doc here.
    let compacting: Promise<number | null>;
    if (store.updates.compactInStore) {
      compacting = store.updates.compactInStore(documentId, upToSeq);
    } else {
      // Kept at load for every store without compactInStore.
      if (!state.encodeState) throw new Error('persistence: no document state to compact from');
      const snapshot = state.encodeState();
      compacting = store.updates.compact(documentId, snapshot, upToSeq).then((written) => (written ? snapshot.byteLength : null));
    }
    const run = compacting
      .then((snapshotBytes) => {
        // Written, or refused because a snapshot covering as much is already stored: either
        // way everything up to `upToSeq` is covered.
        state.count = Math.max(0, state.count - covered);
        state.tailBytes = Math.max(0, state.tailBytes - coveredBytes);
        state.coveredSeq = Math.max(state.coveredSeq, upToSeq);
        if (snapshotBytes !== null) state.snapshotBytes = snapshotBytes;
      })
      .catch((error: unknown) => log.warn({ err: error, documentId }, 'compaction failed; will retry later'))
      .finally(() => {
        state.compacting = null;
        // Writes applied while this compaction ran may already have grown a new tail. Only
        // updates with a later seq can be compacted again (a batch's updates share one seq).
        if (!state.unloaded && due(state)) void compact(documentId, state);
      });
    state.compacting = { run, count: covered, upToSeq };
    return run;
  };

  return {
    name: 'persistence',
    async load({ documentId, doc, encodeState }) {
      const loaded = await store.updates.loadDocument(documentId);
      // One transaction, each update applied as it is: 50,000 typed updates load in about
      // 0.1 s, where merging them in chunks of 1,000 first took six times as long.
      doc.transact(() => {
        if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
        for (const stored of loaded.updates) {
          try {
            Y.applyUpdate(doc, stored.data);
          } catch (error) {
            // One stored update yjs cannot read (accepted before the scan checked its content)
            // must not make the whole document impossible to open: it is skipped (yjs reads an
            // update whole before applying any of it), and said so.
            log.error({ err: error, documentId, seq: stored.seq }, 'a stored update cannot be read; the document loads without it');
          }
        }
      }, LOAD_ORIGIN);
      const lastSeq = loaded.updates.at(-1)?.seq ?? loaded.snapshotSeq;
      const state: TailState = {
        encodeState: store.updates.compactInStore ? null : encodeState,
        count: loaded.updates.length,
        tailBytes: loaded.updates.reduce((sum, stored) => sum + stored.data.byteLength, 0),
        snapshotBytes: loaded.snapshot?.byteLength ?? 0,
        lastSeq,
        coveredSeq: loaded.snapshotSeq,
        compacting: null,
        unloaded: false,
      };
      tails.set(documentId, state);
      if (due(state)) void compact(documentId, state);
    },
    async store({ documentId, updates }) {
      return { seqs: await store.updates.appendUpdates(documentId, updates) };
    },
    change({ documentId, seq, update }) {
      const state = tails.get(documentId);
      if (!state || seq === undefined) return;
      state.count++;
      state.tailBytes += update.byteLength;
      state.lastSeq = seq;
      if (!state.compacting && due(state)) void compact(documentId, state);
    },
    async unload({ documentId }) {
      const state = tails.get(documentId);
      tails.delete(documentId);
      if (!state) return;
      state.unloaded = true;
      // Leave a short tail for the next load: compact what is left if it is long (beyond what a
      // compaction in flight covers: a second replay for a handful of updates would rewrite the
      // whole snapshot).
      const longTail = (): boolean =>
        state.count - (state.compacting?.count ?? 0) >= Math.ceil(compactAfter / 2) &&
        state.lastSeq > Math.max(state.coveredSeq, state.compacting?.upToSeq ?? 0);
      if (store.updates.compactInStore) {
        // The store compacts from what it holds (after any compaction of the document in
        // flight, never backwards), so nothing here waits for it: a load of this document
        // waits for its unload, and the store's compactions run below the event loop's
        // priority (compactorWorker.js), so a reconnect would wait for them too. The store's
        // close waits for them.
        if (longTail()) void compact(documentId, state);
        return;
      }
      // Snapshots are made here from the room's document, which goes once the unload is over.
      if (state.compacting) await state.compacting.run;
      if (longTail()) await compact(documentId, state);
    },
  };
}
