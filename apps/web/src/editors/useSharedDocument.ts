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

/** Re-renders the caller on every change of the document (local or remote). */
export function useDocumentVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((value) => value + 1);
    doc.on('update', bump);
    return () => doc.off('update', bump);
  }, [doc]);
  return version;
}
