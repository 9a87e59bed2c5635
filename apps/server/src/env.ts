import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { serverPackageDir } from './paths.js';
import { DEFAULT_COMMIT_INTERVAL_MS, DEFAULT_SEGMENT_BYTES } from './store/sqlite/SqliteStore.js';
import { DEFAULT_INLINE_WRITE_LIMIT_MS } from './store/sqlite/UpdateJournal.js';

/**
 * The only module that reads `process.env`. Every option has a documented default; an invalid
 * value is reported (all problems at once) and the process exits.
 */
const envSchema = z.object({
  /** Port of the one public origin (web, /api, /yjs, /socket.io). Default 3000. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. Default all interfaces. */
  HOST: z.string().default('0.0.0.0'),
  /** Folder of the embedded SQLite store. Default `./data`. */
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * Origin users reach the app at (e.g. `https://samverkan.example.se`). Default
   * `http://localhost:PORT`. Security: WebSocket upgrades and cookie-authenticated mutating
   * requests from any other browser origin are refused.
   */
  PUBLIC_URL: z.url().optional(),
  /** Further allowed origins, comma separated (e.g. a dev server). Default none. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** When set, MongoDB is the store (production). Default unset: embedded SQLite. */
  MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "a mongodb:// or mongodb+srv:// URL").optional().or(z.literal("")),
  /** pino log level. Default `info`. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted WebSocket frame in bytes. Default 16 MiB; larger frames close with 1009. */
  MAX_FRAME_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  /** How long a closing Yjs WebSocket may take (close frames, end of TCP) before it is destroyed. Default 30 s. */
  WS_CLOSE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Compact a document's update log once this many updates follow its snapshot. Default 500. */
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(10).default(500),
  /**
   * Longest spacing in milliseconds between the starts of two update commits (SQLite). A write
   * that finds the store idle commits at once; above 4,000 writes a second, commits are spaced
   * by 1 ms per 2,000 writes a second, up to this, so each carries more updates. Default 10.
   */
  COMMIT_INTERVAL_MS: z.coerce.number().min(0).max(50).default(DEFAULT_COMMIT_INTERVAL_MS),
  /**
   * Size in bytes at which a segment of the update journal (`<DATA_DIR>/journal/`) is sealed and
   * the next one started (SQLite). A new segment is made at this size up front (a sparse file)
   * and recovery reads a segment whole, so it is at most 1 GiB. Default 16 MiB.
   */
  JOURNAL_SEGMENT_BYTES: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(DEFAULT_SEGMENT_BYTES),
  /**
   * Journal commits are written on the event loop while they take at most this many
   * milliseconds on average (a moving average over about the last ten); slower, they go through
   * the thread pool for a while (SQLite). `0`: always the thread pool. Default 5.
   */
  JOURNAL_INLINE_WRITE_LIMIT_MS: z.coerce.number().min(0).max(50).default(DEFAULT_INLINE_WRITE_LIMIT_MS),
  /**
   * Express `trust proxy` setting for deployments behind a reverse proxy (e.g. `1` or
   * `loopback`). Default off: `X-Forwarded-*` headers are ignored, so clients cannot spoof
   * their address.
   */
  TRUST_PROXY: z.string().optional(),
  /** Build identifier announced to clients. Default: the server package version. */
  BUILD_ID: z.string().optional(),
  /**
   * Port of the Prometheus `/metrics` endpoint. Default unset: no metrics server. Never the
   * public port.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface of the metrics server. Default 127.0.0.1 (set 0.0.0.0 for a scraper in another container). */
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** SMTP server for invitations and reset links (`smtp://user:pass@host:587`). Default unset: links are shown to the admin. */
  SMTP_URL: z.string().optional(),
  /** Sender of e-mail. Default `Samverkan <no-reply@localhost>`. */
  MAIL_FROM: z.string().default('Samverkan <no-reply@localhost>'),
  /** A session unused this many hours ends. Default 168 (7 days). */
  SESSION_IDLE_HOURS: z.coerce.number().positive().default(168),
  /** A session ends this many days after sign-in. Default 30. */
  SESSION_ABSOLUTE_DAYS: z.coerce.number().positive().default(30),
  /** Lifetime of invitation links in hours. Default 168 (7 days). */
  INVITATION_TTL_HOURS: z.coerce.number().positive().default(168),
  /** Lifetime of password reset links in hours. Default 24. */
  RESET_TTL_HOURS: z.coerce.number().positive().default(24),
  /** Failed sign-ins per IP address per 15 minutes before 429. Default 200 (a municipality may sit behind one address). */
  LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(200),
  /** Most WebSocket connections one document accepts; more close with 1013. Default 1000. */
  MAX_CONNECTIONS_PER_DOCUMENT: z.coerce.number().int().min(1).default(1000),
  /** Sustained messages per second one connection may send (burst: 10×). Default 500; faster clients close with 1013. */
  MAX_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(500),
  /** A connection whose unsent data passes this many bytes (it stopped reading) is closed with 1013. Default 32 MiB. */
  MAX_BUFFERED_BYTES: z.coerce.number().int().min(65536).default(32 * 1024 * 1024),
});

/** Parsed configuration of the server process. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  allowedOrigins: string[];
  mongodbUrl: string | undefined;
  logLevel: string;
  maxFrameBytes: number;
  wsCloseTimeoutMs: number;
  compactAfterUpdates: number;
  commitIntervalMs: number;
  journalSegmentBytes: number;
  journalInlineWriteLimitMs: number;
  trustProxy: string | undefined;
  build: string;
  /** Folder of the built web app (served for every non-API path). */
  webDistDir: string;
  /** Port of `/metrics`, or undefined for none. */
  metricsPort: number | undefined;
  metricsHost: string;
  maxConnectionsPerDocument: number;
  maxMessagesPerSecond: number;
  maxBufferedBytes: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  invitationTtlMs: number;
  resetTtlMs: number;
  loginAttemptsPerIp: number;
}

function packageVersion(): string {
  try {
    const text = readFileSync(join(serverPackageDir(), 'package.json'), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'dev';
  } catch {
    return 'dev';
  }
}

/** Reads and validates the environment; prints every problem and exits on invalid input. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      console.error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
    }
    process.exit(1);
  }
  const values = parsed.data;
  const publicUrl = new URL(values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).origin;
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: values.DATA_DIR,
    publicUrl,
    allowedOrigins: values.ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
      .map((origin) => new URL(origin).origin),
    mongodbUrl: values.MONGODB_URL || undefined,
    logLevel: values.LOG_LEVEL,
    maxFrameBytes: values.MAX_FRAME_BYTES,
    wsCloseTimeoutMs: values.WS_CLOSE_TIMEOUT_MS,
    compactAfterUpdates: values.COMPACT_AFTER_UPDATES,
    commitIntervalMs: values.COMMIT_INTERVAL_MS,
    journalSegmentBytes: values.JOURNAL_SEGMENT_BYTES,
    journalInlineWriteLimitMs: values.JOURNAL_INLINE_WRITE_LIMIT_MS,
    trustProxy: values.TRUST_PROXY,
    build: values.BUILD_ID ?? packageVersion(),
    webDistDir: join(serverPackageDir(), '..', 'web', 'dist'),
    metricsPort: values.METRICS_PORT,
    metricsHost: values.METRICS_HOST,
    maxConnectionsPerDocument: values.MAX_CONNECTIONS_PER_DOCUMENT,
    maxMessagesPerSecond: values.MAX_MESSAGES_PER_SECOND,
    maxBufferedBytes: values.MAX_BUFFERED_BYTES,
    smtpUrl: values.SMTP_URL || undefined,
    mailFrom: values.MAIL_FROM,
    sessionIdleMs: values.SESSION_IDLE_HOURS * 3600_000,
    sessionAbsoluteMs: values.SESSION_ABSOLUTE_DAYS * 24 * 3600_000,
    invitationTtlMs: values.INVITATION_TTL_HOURS * 3600_000,
    resetTtlMs: values.RESET_TTL_HOURS * 3600_000,
    loginAttemptsPerIp: values.LOGIN_ATTEMPTS_PER_IP,
  };
}
