import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { forgetDocument, forgetEverything, keptDatabaseName } from '../sync/device.js';
import { type SaveState, connectDocument } from '../sync/samverkanProvider.js';

export interface SharedDocument {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** True once the content is there: from this device (IndexedDB) or from the server. */
  ready: boolean;
  state: SaveState;
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
 * close removes the document (or, for an ended session, everything) from the device.
 */
export function useSharedDocument(documentId: string, userId: string): SharedDocument | null {
  const queryClient = useQueryClient();
  const [shared, setShared] = useState<SharedDocument | null>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(keptDatabaseName(userId, documentId), doc);
    let current: SharedDocument | null = null;
    const update = (changes: Partial<SharedDocument>) => {
      if (!current) return;
      current = { ...current, ...changes };
      setShared(current);
    };
    const provider = connectDocument(documentId, doc, (state, closeCode) => {
      update({ state });
      if (state !== 'closed') return;
      // 4401: the session ended; otherwise access to this document was lost.
      void local.clearData().then(() => (closeCode === 4401 ? forgetEverything() : forgetDocument(userId, documentId)));
      void queryClient.invalidateQueries({ queryKey: closeCode === 4401 ? ['me'] : ['document', documentId] });
    });
    current = { doc, provider, ready: false, state: 'offline' };
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
 * typing does not re-render the whole editor.
 */
export function useDocumentVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (transaction: Y.Transaction) => {
      for (const type of transaction.changed.keys()) {
        if (!(type instanceof Y.XmlFragment || type instanceof Y.XmlElement || type instanceof Y.XmlText)) {
          setVersion((value) => value + 1);
          return;
        }
      }
    };
    doc.on('afterTransaction', bump);
    return () => doc.off('afterTransaction', bump);
  }, [doc]);
  return version;
}
