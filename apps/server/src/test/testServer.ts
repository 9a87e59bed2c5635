import pino from 'pino';
import type { DocumentSummary } from '@samverkan/protocol';
import type { ServerConfig } from '../env.js';
import { type RunningServer, type StartOptions, startServer } from '../server.js';
import { setupAdmin } from './clients.js';
import { makeTempDir } from './tempDir.js';

/** A server on a random loopback port with its own temporary data folder. */
export interface TestServer extends RunningServer {
  readonly dataDir: string;
  readonly wsUrl: string;
  /** Session cookie of the first admin (`samverkan_session=…`). */
  readonly cookie: string;
  /** Headers with that cookie, for raw clients. */
  readonly headers: Record<string, string>;
  createDocument(title?: string, type?: 'plan' | 'pilot' | 'board'): Promise<DocumentSummary>;
  /** Closes the server and removes its data (unless `keepData`). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export function testConfig(dataDir: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    publicUrl: 'http://localhost:3000',
    allowedOrigins: [],
    mongodbUrl: undefined,
    logLevel: 'silent',
    maxFrameBytes: 16 * 1024 * 1024,
    wsCloseTimeoutMs: 30_000,
    commitIntervalMs: 2,
    journalSegmentBytes: 16 * 1024 * 1024,
    journalInlineWriteLimitMs: 5,
    compactAfterUpdates: 500,
    trustProxy: undefined,
    build: 'test',
    webDistDir: '/nonexistent',
    metricsPort: undefined,
    metricsHost: '127.0.0.1',
    maxConnectionsPerDocument: 1000,
    maxMessagesPerSecond: 500,
    maxBufferedBytes: 32 * 1024 * 1024,
    smtpUrl: undefined,
    mailFrom: 'Samverkan <test@localhost>',
    sessionIdleMs: 7 * 24 * 3600_000,
    sessionAbsoluteMs: 30 * 24 * 3600_000,
    invitationTtlMs: 7 * 24 * 3600_000,
    resetTtlMs: 24 * 3600_000,
    loginAttemptsPerIp: 200,
    ...overrides,
  };
}

export async function startTestServer(
  options: {
    dataDir?: string;
    config?: Partial<ServerConfig>;
    start?: StartOptions;
    /** Signs in as this user when the instance is already set up. */
    admin?: { email: string; password: string };
  } = {},
): Promise<TestServer> {
  const temp = options.dataDir ? null : makeTempDir();
  const dataDir = options.dataDir ?? (temp as { path: string }).path;
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const server = await startServer(testConfig(dataDir, options.config), log, options.start);
  const cookie = await setupAdmin(server.url, options.admin);
  return {
    ...server,
    dataDir,
    cookie,
    headers: { cookie },
    wsUrl: `ws://127.0.0.1:${server.port}/yjs`,
    async createDocument(title = 'Klimatplan', type = 'plan') {
      const response = await fetch(`${server.url}/api/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ type, title }),
      });
      if (response.status !== 201) throw new Error(`createDocument: ${response.status} ${await response.text()}`);
      return (await response.json()) as DocumentSummary;
    },
    async stop(stopOptions = {}) {
      await server.close();
      if (!stopOptions.keepData) temp?.remove();
    },
  };
}
