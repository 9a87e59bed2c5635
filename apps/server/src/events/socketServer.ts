import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientToServerEvents, DocumentSummary, ServerToClientEvents } from '@samverkan/protocol';
import { Server as EngineServer } from 'engine.io';
import type { Logger } from 'pino';
import { Server as SocketIoServer } from 'socket.io';

/** Options of the app-event server. */
export interface EventServerOptions {
  build: string;
  schemaVersion: number;
  log: Logger;
  /** Origin check shared with the upgrade router (also applied to long-polling requests). */
  allowsOrigin: (request: IncomingMessage) => boolean;
  /** Resolves the session cookie; sockets without a session are refused. */
  authenticate: (cookieHeader: string | undefined) => Promise<{ userId: string } | null>;
}

/**
 * socket.io on `/socket.io` for app events (document list changes now; notifications,
 * comments and meeting control later). Runs on a standalone engine.io server so that the one
 * upgrade router decides about every upgrade before engine.io sees it.
 */
export class EventServer {
  readonly io: SocketIoServer<ClientToServerEvents, ServerToClientEvents>;
  private readonly engine: EngineServer;

  constructor(options: EventServerOptions) {
    this.engine = new EngineServer({
      allowRequest: (request, callback) => callback(null, options.allowsOrigin(request)),
      maxHttpBufferSize: 1e6,
    });
    this.io = new SocketIoServer<ClientToServerEvents, ServerToClientEvents>({ serveClient: false });
    this.io.bind(this.engine);
    this.io.use((socket, next) => {
      options
        .authenticate(socket.request.headers.cookie)
        .then((actor) => {
          if (!actor) {
            next(new Error('unauthorized'));
            return;
          }
          (socket.data as { userId?: string }).userId = actor.userId;
          next();
        })
        .catch(() => next(new Error('unauthorized')));
    });
    this.io.on('connection', (socket) => {
      socket.emit('hello', { build: options.build, schemaVersion: options.schemaVersion });
      socket.on('ping', (callback) => {
        if (typeof callback === 'function') callback({ time: Date.now() });
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

  /** Tells connected clients that a document in the catalogue changed. */
  documentChanged(document: DocumentSummary): void {
    this.io.emit('document:changed', document);
  }

  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
    this.engine.close();
  }
}
