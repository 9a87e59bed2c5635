import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '@samverkan/model';
import { documentIdSchema } from '@samverkan/protocol';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { ServerConfig } from './env.js';
import { EventServer } from './events/socketServer.js';
import { OriginPolicy } from './http/originPolicy.js';
import { presentDocument } from './http/presenters.js';
import { createUpgradeRouter } from './http/upgradeRouter.js';
import { enforceAccess } from './access/AccessEnforcer.js';
import { Access } from './access/accessPolicy.js';
import { LoginThrottle } from './access/LoginThrottle.js';
import { Sessions } from './access/Sessions.js';
import { type EventBus, InProcessEventBus } from './bus/EventBus.js';
import type { AccountRouteDeps } from './http/routes/accountRouteDeps.js';
import { createMailer } from './mail/Mailer.js';
import { Metrics } from './observability/metrics.js';
import { createAccessExtension } from './sync/extensions/access.js';
import { createAuthExtension } from './sync/extensions/auth.js';
import { openStore } from './store/openStore.js';
import type { Store } from './store/ports.js';
import { createCatalogExtension } from './sync/extensions/catalog.js';
import { createPersistenceExtension } from './sync/extensions/persistence.js';
import { createSearchIndexer } from './sync/extensions/searchIndexer.js';
import { SyncServer } from './sync/SyncServer.js';
import { type KeptWrites, type RecoveredWrites, Unstorable, UnsavedWrites, startRecovery } from './sync/unsavedWrites.js';
import { UpdateRejected } from './sync/boundedUpdate.js';
import { WsTransport } from './sync/wsTransport.js';

/** A running server (returned by {@link startServer}). */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Port of `/metrics` when `METRICS_PORT` is set. */
  readonly metricsPort: number | undefined;
  readonly store: Store;
  readonly sync: SyncServer;
  readonly http: HttpServer;
  readonly bus: EventBus;
  /** Ordered shutdown: stop accepting, flush every write, close sockets, close the store. */
  close(): Promise<void>;
  /**
   * Writes the received updates that are not durable yet to a file in `<DATA_DIR>/unsaved/`
   * (synchronously, for a process that must exit before its store takes them); the next
   * start stores them. Null when nothing is waiting. A later successful close removes the file.
   */
  keepUnsaved(): KeptWrites | null;
  /** {@link keepUnsaved} in the thread pool (the reminders of a waiting shutdown); one at a time. */
  keepUnsavedInBackground(): Promise<KeptWrites | null>;
  /** Whether a background keep is under way (then {@link keepUnsaved} throws: the disk does not answer). */
  isKeepingUnsaved(): boolean;
  /** Settles once the writes earlier processes kept aside are stored (started after listen). */
  readonly recovered: Promise<RecoveredWrites>;
}

/** Overrides for tests (a store wrapped to count reads, say). */
export interface StartOptions {
  store?: Store;
  bus?: EventBus;
  /** Debounce of search indexing (default 1000 ms). */
  searchIndexDelayMs?: number;
  /** How long a REST document change waits for a failing store before answering 503 `change_pending` (default 5 s). */
  serverChangePendingAfterMs?: number;
}

/** Listen backlog (the kernel caps it at net.core.somaxconn). */
export const LISTEN_BACKLOG = 4096;

/**
 * Start-up in order: store → sync (extensions listed here, in order) → events → app → listen.
 */
export async function startServer(config: ServerConfig, log: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const startedAt = Date.now();
  const store =
    options.store ??
    (await openStore({
      dataDir: config.dataDir,
      mongodbUrl: config.mongodbUrl,
      commitIntervalMs: config.commitIntervalMs,
      journalSegmentBytes: config.journalSegmentBytes,
      journalInlineWriteLimitMs: config.journalInlineWriteLimitMs,
      onCommitError: (error) =>
        log.error({ reason: error instanceof Error ? error.message : String(error) }, 'store commit failed; retrying'),
      onCommitRecovered: () => log.info('store commits succeed again'),
      onWarning: (message, details) => log.warn(details, message),
    }));

  const origins = new OriginPolicy(config.publicUrl, config.allowedOrigins);
  const bus = options.bus ?? new InProcessEventBus();
  const sessions = new Sessions(store, { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs });
  const accountDeps: AccountRouteDeps = {
    store,
    sessions,
    bus,
    mailer: createMailer(config.smtpUrl, config.mailFrom),
    // The error's code only: its message can name the recipient.
    onMailError: (error) => log.warn({ code: (error as { code?: unknown }).code }, 'an e-mail could not be sent; the link was returned to the admin'),
    publicUrl: config.publicUrl,
    invitationTtlMs: config.invitationTtlMs,
    resetTtlMs: config.resetTtlMs,
    throttle: new LoginThrottle(),
    cookies: { secure: config.publicUrl.startsWith('https:'), maxAgeMs: config.sessionAbsoluteMs },
    loginAttemptsPerIp: config.loginAttemptsPerIp,
  };
  const access = new Access(store);
  const events = new EventServer({
    build: config.build,
    schemaVersion: SCHEMA_VERSION,
    log,
    access,
    allowsOrigin: (request) => origins.allows(request.headers),
    authenticate: async (cookieHeader) => {
      const actor = await sessions.resolveHeader(cookieHeader);
      return actor ? { userId: actor.user.id, sessionIdHash: actor.session.idHash } : null;
    },
    present: presentDocument,
  });
  const onDocumentChanged = (record: Parameters<typeof presentDocument>[0]): void => {
    events.documentChanged(record.id).catch((error: unknown) => log.error({ err: error }, 'announcing a document change failed'));
  };

  let sync: SyncServer | null = null;
  const metrics = new Metrics({
    connections: () => sync?.connectionCount ?? 0,
    loadedDocuments: () => sync?.loadedDocuments ?? 0,
    store,
  });
  sync = new SyncServer({
    log,
    schemaVersion: SCHEMA_VERSION,
    build: config.build,
    observer: metrics.observer,
    maxConnectionsPerDocument: config.maxConnectionsPerDocument,
    limits: {
      messagesPerSecond: config.maxMessagesPerSecond,
      messageBurst: config.maxMessagesPerSecond * 10,
      maxBufferedBytes: config.maxBufferedBytes,
      maxHandshakeBytes: config.maxFrameBytes,
    },
    extensions: [
      createAuthExtension(sessions),
      createCatalogExtension(store, log, { onDocumentChanged }),
      createAccessExtension(access),
      createPersistenceExtension(store, log, { compactAfterUpdates: config.compactAfterUpdates }),
      createSearchIndexer(store, log, options.searchIndexDelayMs === undefined ? {} : { delayMs: options.searchIndexDelayMs }),
    ],
  });
  const syncServer = sync;
  const yjs = new WsTransport(syncServer, { maxFrameBytes: config.maxFrameBytes, closeTimeoutMs: config.wsCloseTimeoutMs, log, observer: metrics.observer });

  const app = createApp({
    ...accountDeps,
    log,
    origins,
    startedAt,
    build: config.build,
    schemaVersion: SCHEMA_VERSION,
    webDistDir: config.webDistDir,
    trustProxy: config.trustProxy,
    documents: syncServer,
    access,
    onDocumentChanged,
    ...(options.serverChangePendingAfterMs === undefined ? {} : { serverChangePendingAfterMs: options.serverChangePendingAfterMs }),
  });
  const stopEnforcing = enforceAccess({ bus, access, sync: syncServer, events, sessions, log });

  const http = createServer((request, response) => {
    if ((request.url ?? '').startsWith('/socket.io/')) {
      events.handleRequest(request, response);
      return;
    }
    app(request, response);
  });
  http.on('upgrade', createUpgradeRouter({ origins, yjs, events, log }));
  http.on('clientError', (error, socket) => {
    log.debug({ reason: error.message }, 'http client error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    // A deep accept queue: after a restart every open tab reconnects at once, and with Node's
    // default of 511 the kernel drops the surplus SYNs, which clients retry only after 1 s.
    http.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const metricsServer = config.metricsPort === undefined ? null : await metrics.serve(config.metricsPort, config.metricsHost);
  log.info(
    { port, store: store.kind, build: config.build, ...(metricsServer ? { metricsPort: metricsServer.port } : {}) },
    'Samverkan is listening',
  );

  const unsaved = new UnsavedWrites(join(config.dataDir, 'unsaved'));
  const storeKept = async (documentId: string, update: Uint8Array): Promise<void> => {
    // Only into catalogued documents (in the trash too: what was typed there is kept with it).
    if (!documentIdSchema.safeParse(documentId).success || !(await store.documents.get(documentId))) throw new Unstorable('unknown document');
    try {
      await syncServer.applyServerUpdate(documentId, update);
    } catch (error) {
      throw error instanceof UpdateRejected ? new Unstorable(`update refused: ${error.reason}`) : error;
    }
  };
  const recovery = startRecovery(unsaved, storeKept, log);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      http.close();
      stopEnforcing();
      metricsServer?.server.close();
      const closed = await syncServer.close();
      // A recovery under way stops at its next document (the sync core refuses it now) and
      // hands the rest back to its file, for the next start.
      await recovery.stop();
      yjs.close();
      await events.close();
      await store.updates.flush();
      await store.close();
      // Everything a forced exit might have kept aside is durable now.
      await unsaved.discardWhenIdle();
      http.closeAllConnections();
      log.info({ documents: closed.documents, connections: closed.connections }, 'flushed every pending write; store closed');
    })();
    return closing;
  };

  return {
    url,
    port,
    metricsPort: metricsServer?.port,
    store,
    sync: syncServer,
    http,
    bus,
    close,
    keepUnsaved: () => unsaved.keep(syncServer.unsavedWrites()),
    keepUnsavedInBackground: () => unsaved.keepInBackground(syncServer.unsavedWrites()),
    isKeepingUnsaved: () => unsaved.busy,
    recovered: recovery.first,
  };
}
