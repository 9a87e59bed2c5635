import type { ClientToServerEvents, DocumentSummary, ServerToClientEvents } from '@samverkan/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { type Socket, io } from 'socket.io-client';

/**
 * One socket.io connection per signed-in user. The server sends `document:changed` for documents
 * the user can read (and puts the socket in their rooms) and `document:removed` to the rooms of
 * documents the user can no longer read; every document list refetches. Documents loaded through
 * REST lists are joined here, so their revocation reaches this tab too. When the server ends the
 * connection (account deactivated, session ended) the session is checked again, which shows the
 * "no access" page.
 */
export function useLiveUpdates(userId: string | null): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!userId) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
    const joined = new Set<string>();
    const join = (documents: DocumentSummary[]) => {
      if (!socket.connected) return;
      for (const document of documents) {
        if (joined.has(document.id)) continue;
        joined.add(document.id);
        socket.emit('document:join', document.id, () => undefined);
      }
    };
    const joinListed = () => {
      for (const [key, data] of queryClient.getQueriesData<DocumentSummary[]>({ queryKey: ['documents'] })) if (key[0] === 'documents' && Array.isArray(data)) join(data);
    };
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && (event.query.queryKey as readonly unknown[])[0] === 'documents' && Array.isArray(event.query.state.data)) join(event.query.state.data as DocumentSummary[]);
    });
    const refreshLists = () => void queryClient.invalidateQueries({ queryKey: ['documents'] });
    socket.on('connect', () => {
      // Rooms do not survive a reconnect, and events may have been missed meanwhile.
      joined.clear();
      joinListed();
      refreshLists();
    });
    socket.on('document:changed', (changed) => {
      joined.add(changed.id);
      queryClient.setQueryData(['document', changed.id], changed);
      refreshLists();
    });
    socket.on('document:removed', (removed) => {
      joined.delete(removed.id);
      void queryClient.invalidateQueries({ queryKey: ['document', removed.id] });
      refreshLists();
    });
    let closed = false;
    socket.on('disconnect', (reason) => {
      if (reason !== 'io server disconnect') return; // socket.io reconnects by itself
      // Ended by the server: the session may be gone (deactivated, signed out elsewhere) — or the
      // server is restarting. Check the session, and try again; a refused session stops there.
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      setTimeout(() => {
        if (!closed) socket.connect();
      }, 1000 + Math.random() * 2000);
    });
    socket.on('connect_error', () => void queryClient.invalidateQueries({ queryKey: ['me'] }));
    // The server says which build it runs on every connect: a different one after a reconnect
    // means it was updated while this tab was open, so this tab's editors are outdated.
    socket.on('hello', (info) => {
      const first = queryClient.getQueryData<string>(['serverBuild']);
      if (first === undefined) queryClient.setQueryData(['serverBuild'], info.build);
      else if (first !== info.build) queryClient.setQueryData(['appOutdated'], true);
    });
    return () => {
      closed = true;
      unsubscribe();
      socket.close();
    };
  }, [userId, queryClient]);
}
