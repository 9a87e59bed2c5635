import { CloseCode, documentIdSchema } from '@samverkan/protocol';
import { getTitle } from '@samverkan/model';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { DocumentRecord, Store } from '../../store/ports.js';
import { type Extension, SyncRefusal } from '../Extension.js';

/** Options of the catalogue extension. */
export interface CatalogOptions {
  /** Debounce of mirroring metadata (the title) from the document into the catalogue (default 300 ms). */
  mirrorDelayMs?: number;
  /** Called after the catalogue entry of a document changed (for live document lists). */
  onDocumentChanged?: (record: DocumentRecord) => void;
}

/**
 * Only catalogued documents can be opened (others close with 4404, no document bytes sent);
 * the title, which lives in the Yjs document, is mirrored into the catalogue as it changes.
 */
export function createCatalogExtension(store: Store, log: Logger, options: CatalogOptions = {}): Extension {
  const delay = options.mirrorDelayMs ?? 300;
  /** Pending mirrors, with the document of the latest change (a room that rested meanwhile made a new one). */
  const pending = new Map<string, { timer: NodeJS.Timeout; doc: Y.Doc }>();
  /** The title last found in (or written to) the catalogue, per loaded document. */
  const mirrored = new Map<string, string>();
  /** Mirrors under way: while one runs, `mirrored` may be about to change, so every change schedules. */
  const running = new Map<string, Promise<void>>();
  /** Whether the title in `doc` is the one the catalogue holds (nothing to mirror). */
  const upToDate = (documentId: string, title: string): boolean => !title || mirrored.get(documentId) === title;

  /** Mirrors `doc`'s title after any mirror of the document still under way (one at a time, in order). */
  const mirror = (documentId: string, doc: Y.Doc): Promise<void> => {
    const before = running.get(documentId);
    const run = (before ? before.catch(() => undefined).then(() => mirrorNow(documentId, doc)) : mirrorNow(documentId, doc)).finally(() => {
      if (running.get(documentId) === run) running.delete(documentId);
    });
    running.set(documentId, run);
    return run;
  };

  const mirrorNow = async (documentId: string, doc: Y.Doc): Promise<void> => {
    const title = getTitle(doc).trim();
    // Most edits do not touch the title: compared in memory, without reading the catalogue.
    if (upToDate(documentId, title)) return;
    const record = await store.documents.get(documentId);
    if (!record) return;
    if (record.title === title) {
      mirrored.set(documentId, title);
      return;
    }
    const updatedAt = new Date().toISOString();
    if (await store.documents.updateTitle(documentId, title, updatedAt)) {
      mirrored.set(documentId, title);
      options.onDocumentChanged?.({ ...record, title, updatedAt });
    }
  };

  return {
    name: 'catalog',
    async authenticate({ documentId }) {
      if (!documentIdSchema.safeParse(documentId).success) {
        throw new SyncRefusal(CloseCode.notFound, 'document not found');
      }
      const record = await store.documents.get(documentId);
      if (!record || record.deletedAt) throw new SyncRefusal(CloseCode.notFound, 'document not found');
    },
    change({ documentId, doc }) {
      const waiting = pending.get(documentId);
      if (waiting) {
        waiting.doc = doc;
        return;
      }
      // Most edits do not touch the title: no timer for them. A busy meeting's every update set
      // one that found nothing to do (the fan-out benchmark: 600 timers a second, each of which
      // could wake an idle event loop).
      if (!running.has(documentId) && upToDate(documentId, getTitle(doc).trim())) return;
      const timer = setTimeout(() => {
        const latest = pending.get(documentId)?.doc ?? doc;
        pending.delete(documentId);
        mirror(documentId, latest).catch((error: unknown) => log.warn({ err: error, documentId }, 'mirroring the title into the catalogue failed'));
      }, delay);
      pending.set(documentId, { timer, doc });
    },
    async unload({ documentId, doc }) {
      const waiting = pending.get(documentId);
      if (waiting) {
        clearTimeout(waiting.timer);
        pending.delete(documentId);
        await mirror(documentId, doc());
      }
      // A mirror still under way finishes first (it sets `mirrored`, forgotten just below).
      await running.get(documentId)?.catch(() => undefined);
      // Renames through REST while unloaded are not seen here: forget, and read again next time.
      mirrored.delete(documentId);
    },
  };
}
