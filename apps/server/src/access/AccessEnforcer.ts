import { CloseCode } from '@samverkan/protocol';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/EventBus.js';
import type { EventServer } from '../events/socketServer.js';
import type { SyncServer } from '../sync/SyncServer.js';
import { type Access, allows } from './accessPolicy.js';

/**
 * Applies access changes to open sockets as they happen (through the event bus, so a Redis bus
 * later reaches every instance): a deactivated user or an ended session loses every socket
 * (close 4401); when a document's visibility, shares or trash state changes, Yjs connections
 * that lost access close with 4404, those whose rights changed close with 4000 (reconnect
 * with the new rights), and socket.io readers are told.
 */
export function enforceAccess(deps: { bus: EventBus; access: Access; sync: SyncServer; events: EventServer; log: Logger }): () => void {
  return deps.bus.subscribe((event) => {
    switch (event.type) {
      case 'user.deactivated':
        deps.sync.closeConnections((connection) => connection.context.userId === event.userId, CloseCode.unauthorized, 'account deactivated');
        deps.events.disconnectWhere((data) => data.userId === event.userId);
        return;
      case 'session.ended':
        deps.sync.closeConnections((connection) => connection.context.sessionIdHash === event.sessionIdHash, CloseCode.unauthorized, 'signed out');
        deps.events.disconnectWhere((data) => data.sessionIdHash === event.sessionIdHash);
        return;
      case 'document.access_changed':
        void reviewDocument(deps, event.documentId).catch((error: unknown) =>
          deps.log.error({ err: error, documentId: event.documentId }, 'applying an access change failed'),
        );
        return;
    }
  });
}

async function reviewDocument(deps: { access: Access; sync: SyncServer; events: EventServer }, documentId: string): Promise<void> {
  const connections = deps.sync.connectionsTo(documentId);
  const { levels } = await deps.access.levelsOn(
    documentId,
    connections.flatMap((connection) => (connection.context.userId ? [connection.context.userId] : [])),
  );
  for (const connection of connections) {
    const level = (connection.context.userId && levels.get(connection.context.userId)) || 'none';
    if (!allows(level, 'read')) {
      connection.close(CloseCode.notFound, 'access revoked');
    } else if (allows(level, 'edit') === connection.context.readOnly) {
      connection.close(CloseCode.accessChanged, 'access changed');
    }
  }
  await deps.events.documentChanged(documentId);
}
