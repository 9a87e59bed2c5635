import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { EventServer } from '../events/socketServer.js';
import { refuseUpgrade } from '../sync/wsFrames.js';
import type { WsTransport } from '../sync/wsTransport.js';
import type { OriginPolicy } from './originPolicy.js';

/**
 * The one `upgrade` handler: checks the Origin of every WebSocket upgrade before `ws` or
 * engine.io see the request (403 before any 101), then routes `/yjs/:documentId` and
 * `/socket.io/`; anything else gets 404.
 */
export function createUpgradeRouter(deps: {
  origins: OriginPolicy;
  yjs: WsTransport;
  events: EventServer;
  log: Logger;
}): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  // One listener for every socket (a closure per socket would live as long as its connection).
  const onSocketError = (error: Error): void => deps.log.debug({ reason: error.message }, 'upgrade socket error');
  return (request, socket, head) => {
    socket.on('error', onSocketError);
    if (!deps.origins.allows(request.headers)) {
      deps.log.warn({ path: (request.url ?? '').split('?')[0] }, 'refused upgrade from a foreign origin');
      refuseUpgrade(socket, { status: 403, text: 'Forbidden' });
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      refuseUpgrade(socket, { status: 400, text: 'Bad Request' });
      return;
    }
    if (url.pathname.startsWith('/yjs/')) {
      const raw = url.pathname.slice('/yjs/'.length);
      // A malformed escape (`/yjs/%ZZ`) is an unknown document like any other: 4404 after the upgrade.
      let documentId = raw;
      try {
        documentId = decodeURIComponent(raw);
      } catch {
        // keep the raw text; the catalogue refuses it
      }
      deps.yjs.handleUpgrade(request, socket, head, documentId, url.searchParams);
      return;
    }
    if (url.pathname.startsWith('/socket.io/')) {
      deps.events.handleUpgrade(request, socket, head);
      return;
    }
    refuseUpgrade(socket, { status: 404, text: 'Not Found' });
  };
}
