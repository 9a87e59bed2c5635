import { CloseCode } from '@samverkan/protocol';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/EventBus.js';
import type { EventServer } from '../events/socketServer.js';
import type { SyncServer } from '../sync/SyncServer.js';
import { type Access, allows } from './accessPolicy.js';
import type { Sessions } from './Sessions.js';

/**
 * Applies access changes to open sockets as they happen (through the event bus, so a Redis bus
 * later reaches every instance): a deactivated user or an ended session loses every socket
 * (close 4401), as do the other sessions of a user whose password was reset or changed; when a
 * document's visibility, shares or trash state changes, or a group it is visible or shared to
 * changes its organisations, Yjs connections that lost access close with 4404, those whose
 * rights changed close with 4000 (reconnect with the new rights), and socket.io readers are
 * told. Sessions end by time too (idle or absolute): the sessions of open sockets are checked
 * every `sessions.sweepIntervalMs`, and the sockets of one that expired close with 4401.
 * Writes on a Yjs connection count as use of its session.
 */
export function enforceAccess(deps: { bus: EventBus; access: Access; sync: SyncServer; events: EventServer; sessions: Sessions; log: Logger }): () => void {
  /** Closes the Yjs connections (4401) and socket.io sockets of the sessions that `ended` picks. */
  const signOut = (ended: (who: { userId: string | null; sessionIdHash: string | null }) => boolean, reason: string): void => {
    deps.sync.closeConnections((connection) => ended(connection.context), CloseCode.unauthorized, reason);
    deps.events.disconnectWhere(ended);
  };
  let sweeping = false;
  let stopped = false;
  const sweep = async (): Promise<void> => {
    const usedAt = new Map<string, number>();
    for (const connection of deps.sync.connections()) {
      const hash = connection.context.sessionIdHash;
      if (hash) usedAt.set(hash, Math.max(usedAt.get(hash) ?? 0, connection.wroteAt));
    }
    for (const hash of deps.events.sessionsInUse()) if (!usedAt.has(hash)) usedAt.set(hash, 0);
    for (const [hash, used] of usedAt) {
      // Stopped meanwhile (shutdown): the store may be closed.
      if (stopped) return;
      if (!(await deps.sessions.isActive(hash, used > 0 ? new Date(used) : null))) signOut((who) => who.sessionIdHash === hash, 'session expired');
    }
  };
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep()
      .catch((error: unknown) => deps.log.error({ err: error }, 'checking the sessions of open sockets failed'))
      .finally(() => (sweeping = false));
  }, deps.sessions.sweepIntervalMs);
  sweeper.unref();
  const unsubscribe = deps.bus.subscribe((event) => {
    // Connections still authenticating or loading are not in any room yet: they check again.
    deps.sync.accessChanged();
    switch (event.type) {
      case 'user.deactivated':
        signOut((who) => who.userId === event.userId, 'account deactivated');
        return;
      case 'session.ended':
        signOut((who) => who.sessionIdHash === event.sessionIdHash, 'signed out');
        return;
      case 'user.sessions_ended':
        signOut((who) => who.userId === event.userId && who.sessionIdHash !== event.keepSessionIdHash, 'signed out');
        return;
      case 'group.changed':
        void reviewGroup(deps, event.groupId).catch((error: unknown) =>
          deps.log.error({ err: error, groupId: event.groupId }, 'applying a group change failed'),
        );
        return;
      case 'document.access_changed':
        void reviewDocument(deps, event.documentId).catch((error: unknown) =>
          deps.log.error({ err: error, documentId: event.documentId }, 'applying an access change failed'),
        );
        return;
    }
  });
  return () => {
    stopped = true;
    clearInterval(sweeper);
    unsubscribe();
  };
}

/**
 * A group's organisations changed: the documents it gives access to (by `group:` visibility or
 * a share to the group) are reviewed like any access change, one after another.
 */
async function reviewGroup(deps: { access: Access; sync: SyncServer; events: EventServer }, groupId: string): Promise<void> {
  const store = deps.access.store;
  const [documents, shares] = await Promise.all([
    store.documents.list(),
    // No user or organisation has an empty id: only the group's shares match.
    store.shares.listForPrincipals({ userId: '', organisationId: '', groupIds: [groupId] }),
  ]);
  const affected = new Set(shares.filter((share) => share.principalType === 'group').map((share) => share.documentId));
  for (const document of documents) if (document.visibility === `group:${groupId}`) affected.add(document.id);
  for (const documentId of affected) await reviewDocument(deps, documentId);
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
