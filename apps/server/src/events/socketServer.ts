import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ClientToServerEvents, type DocumentSummary, type ServerToClientEvents, documentIdSchema } from '@samverkan/protocol';
import { Server as EngineServer } from 'engine.io';
import type { Logger } from 'pino';
import { Server as SocketIoServer, type Socket } from 'socket.io';
import { type Access, type AccessLevel, allows } from '../access/accessPolicy.js';
import type { DocumentRecord } from '../store/ports.js';

/** Options of the app-event server. */
export interface EventServerOptions {
  build: string;
  schemaVersion: number;
  log: Logger;
  access: Access;
  /** Origin check shared with the upgrade router (also applied to long-polling requests). */
  allowsOrigin: (request: IncomingMessage) => boolean;
  /** Resolves the session cookie; sockets without a session are refused. */
  authenticate: (cookieHeader: string | undefined) => Promise<{ userId: string; sessionIdHash: string } | null>;
  /** Presents a catalogue entry with the receiver's level. */
  present: (record: DocumentRecord, level: AccessLevel) => DocumentSummary;
}

interface SocketData {
  userId: string;
  sessionIdHash: string;
}

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const room = (documentId: string) => `document:${documentId}`;

/**
 * socket.io on `/socket.io` for app events. Runs on a standalone engine.io server so that the
 * one upgrade router decides about every upgrade before engine.io sees it. Every socket has a
 * session; joining a document's room needs read access; each event goes only to sockets whose
 * user may read what it carries.
 */
export class EventServer {
  readonly io: SocketIoServer<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  private readonly engine: EngineServer;

  constructor(private readonly options: EventServerOptions) {
    this.engine = new EngineServer({
      allowRequest: (request, callback) => callback(null, options.allowsOrigin(request)),
      maxHttpBufferSize: 1e6,
    });
    this.io = new SocketIoServer({ serveClient: false });
    this.io.bind(this.engine);
    this.io.use((socket, next) => {
      options
        .authenticate(socket.request.headers.cookie)
        .then((actor) => {
          if (!actor) {
            next(new Error('unauthorized'));
            return;
          }
          socket.data.userId = actor.userId;
          socket.data.sessionIdHash = actor.sessionIdHash;
          next();
        })
        .catch(() => next(new Error('unauthorized')));
    });
    this.io.on('connection', (socket) => {
      socket.emit('hello', { build: options.build, schemaVersion: options.schemaVersion });
      socket.on('ping', (callback) => {
        if (typeof callback === 'function') callback({ time: Date.now() });
      });
      socket.on('document:join', (documentId, callback) => {
        const reply = typeof callback === 'function' ? callback : () => undefined;
        this.canRead(socket, documentId)
          .then(async (ok) => {
            if (ok && typeof documentId === 'string') await socket.join(room(documentId));
            reply({ ok });
          })
          .catch(() => reply({ ok: false }));
      });
      socket.on('document:leave', (documentId) => {
        if (typeof documentId === 'string') void socket.leave(room(documentId));
      });
      socket.on('error', (error) => options.log.warn({ reason: error.message }, 'socket.io socket error'));
    });
  }

  handleRequest(request: IncomingMessage, response: ServerResponse): void {
    this.engine.handleRequest(request, response);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.engine.handleUpgrade(request, socket, head);
  }

  /**
   * A document's catalogue entry or access changed: readers get `document:changed` (with their
   * level) and join its room; sockets in its room that can no longer read it get
   * `document:removed` and leave the room. Sockets that never had the document hear nothing.
   */
  async documentChanged(documentId: string): Promise<void> {
    const sockets = [...this.io.sockets.sockets.values()];
    const { document, levels } = await this.options.access.levelsOn(documentId, sockets.map((socket) => socket.data.userId));
    const inRoom = new Set((await this.io.in(room(documentId)).fetchSockets()).map((socket) => socket.id));
    for (const socket of sockets) {
      const level = levels.get(socket.data.userId) ?? 'none';
      if (document && allows(level, 'read')) {
        socket.emit('document:changed', this.options.present(document, level));
        // A document that appeared in the receiver's list: a later revocation must reach it too.
        if (!inRoom.has(socket.id)) void socket.join(room(documentId));
      } else if (inRoom.has(socket.id)) {
        socket.emit('document:removed', { id: documentId });
        void socket.leave(room(documentId));
      }
    }
  }

  /** The sessions (by hash) that have sockets open. */
  sessionsInUse(): Set<string> {
    const hashes = new Set<string>();
    for (const socket of this.io.sockets.sockets.values()) if (socket.data.sessionIdHash) hashes.add(socket.data.sessionIdHash);
    return hashes;
  }

  /** Disconnects the sockets of a user or of one session (deactivation, sign-out). */
  disconnectWhere(predicate: (data: SocketData) => boolean): number {
    let count = 0;
    for (const socket of this.io.sockets.sockets.values()) {
      if (predicate(socket.data)) {
        socket.disconnect(true);
        count++;
      }
    }
    return count;
  }

  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
    this.engine.close();
  }

  private async canRead(socket: AppSocket, documentId: unknown): Promise<boolean> {
    if (!documentIdSchema.safeParse(documentId).success) return false;
    const principal = await this.options.access.principalOf(socket.data.userId);
    const { level } = await this.options.access.accessLevel(principal, documentId as string);
    return allows(level, 'read');
  }
}
