import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { forgetDocument, forgetEverything, hasUnsaved, keptDatabaseName, markSaved, markUnsaved } from '../sync/device.js';
import { type SaveState, connectDocument } from '../sync/samverkanProvider.js';

export interface SharedDocument {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** True once the content is there: from this device (IndexedDB) or from the server. */
  ready: boolean;
  state: SaveState;
  /**
   * After a close (no access, session ended): this device keeps edits of the document that the
   * server did not confirm; they are saved when the document is opened again with access.
   */
  keptUnsaved: boolean;
}

declare global {
  interface Window {
    /** The open document and its provider (for browser tests and support; the server decides what an edit may do). */
    samverkanDocument?: { doc: Y.Doc; provider: WebsocketProvider };
  }
}

/**
 * Opens a document: kept on this device with y-indexeddb (so a tab without a connection keeps
 * working and nothing typed is lost), synced through the standard y-websocket provider. A 44xx
 * close removes the document (or, for an ended session, everything) from the device, except
 * what holds edits the server has not confirmed (marked from the first local edit until the
 * server acknowledged it).
 */
export function useSharedDocument(documentId: string, userId: string, canWrite: boolean): SharedDocument | null {
  const queryClient = useQueryClient();
  const [shared, setShared] = useState<SharedDocument | null>(null);
  // Read when an edit happens (a change of rights reconnects the provider, not the document).
  const writes = useRef(canWrite);
  writes.current = canWrite;

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(keptDatabaseName(userId, documentId), doc);
    let current: SharedDocument | null = null;
    const update = (changes: Partial<SharedDocument>) => {
      if (!current) return;
      current = { ...current, ...changes };
      setShared(current);
    };
    // Whether the device's mark of unconfirmed edits is set: written when it changes, not on
    // every keystroke and every acknowledgement.
    let unsaved = hasUnsaved(userId, documentId);
    const provider = connectDocument(documentId, doc, (state, closeCode) => {
      if (state === 'saved' && unsaved) {
        markSaved(userId, documentId);
        unsaved = false;
      }
      if (state !== 'closed') {
        update({ state });
        return;
      }
      // Read from the device, not this tab's flag: another tab may hold the document's unsent edits.
      const kept = hasUnsaved(userId, documentId);
      update({ state, keptUnsaved: kept });
      // 4401: the session ended; otherwise access to this document was lost. What was typed
      // here and never confirmed stays on the device.
      const forget = async (): Promise<void> => {
        if (closeCode === 4401) await forgetEverything();
        else await forgetDocument(userId, documentId);
      };
      void (kept ? forget() : local.clearData().then(forget));
      void queryClient.invalidateQueries({ queryKey: closeCode === 4401 ? ['me'] : ['document', documentId] });
    });
    // Edits made here (not those loaded from the device or received from the server) by someone
    // who may write: a reader's are dropped by the server and never become saved.
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (unsaved || !writes.current || origin === provider || origin === local) return;
      markUnsaved(userId, documentId);
      unsaved = true;
    });
    current = { doc, provider, ready: false, state: 'offline', keptUnsaved: false };
    setShared(current);
    void local.whenSynced.then(() => update({ ready: true }));
    provider.on('sync', (synced: boolean) => {
      if (synced) update({ ready: true });
    });
    window.samverkanDocument = { doc, provider };
    return () => {
      if (window.samverkanDocument?.doc === doc) delete window.samverkanDocument;
      provider.destroy();
      void local.destroy();
      doc.destroy();
      current = null;
    };
  }, [documentId, userId, queryClient]);

  return shared;
}

/**
 * Re-renders the caller when the document's fields or lists change (local or remote). Changes
 * inside rich text (XML fragments) do not count: Tiptap draws those itself, so a colleague's
 * typing does not re-render the whole editor. A change from elsewhere is drawn at once, in the
 * same task (`flushSync`): drawn later, a key pressed in between would reach a text field that
 * still shows the text before that change, and writing what it then holds would undo the
 * colleague's change.
 */
export function useDocumentVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (transaction: Y.Transaction) => {
      for (const type of transaction.changed.keys()) {
        if (!(type instanceof Y.XmlFragment || type instanceof Y.XmlElement || type instanceof Y.XmlText)) {
          const next = () => setVersion((value) => value + 1);
          if (transaction.local) next();
          else flushSync(next);
          return;
        }
      }
    };
    doc.on('afterTransaction', bump);
    return () => doc.off('afterTransaction', bump);
  }, [doc]);
  return version;
}
