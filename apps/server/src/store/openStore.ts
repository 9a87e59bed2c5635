import type { Store } from './ports.js';
import { SqliteStore } from './sqlite/SqliteStore.js';

/** Which store to open. */
export interface StoreConfig {
  /** Folder of the embedded SQLite store (default `./data`). */
  dataDir: string;
  /** When set, MongoDB is the store (production). */
  mongodbUrl?: string | undefined;
  /** Longest spacing between the starts of two update commits (SQLite; default 10 ms). */
  commitIntervalMs?: number;
  /** Size at which a journal segment is sealed (SQLite; default 16 MiB). */
  journalSegmentBytes?: number;
  /** Average time above which journal commits leave the event loop (SQLite; default 5 ms, 0: never on it). */
  journalInlineWriteLimitMs?: number;
  /** Called on every failed commit (retried). */
  onCommitError?: (error: unknown) => void;
  /** Called when commits succeed again. */
  onCommitRecovered?: () => void;
  /** Called with things an operator should look at (SQLite; no document content). */
  onWarning?: (message: string, details: Record<string, unknown>) => void;
}

/** Opens the store chosen by the configuration: MongoDB when `mongodbUrl` is set, else SQLite. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.mongodbUrl) {
    // mongoose is loaded only when MongoDB is the store.
    const { MongoStore } = await import('./mongo/MongoStore.js');
    return MongoStore.open({
      url: config.mongodbUrl,
      ...(config.onCommitError ? { onCommitError: config.onCommitError } : {}),
      ...(config.onCommitRecovered ? { onCommitRecovered: config.onCommitRecovered } : {}),
    });
  }
  return new SqliteStore({
    dataDir: config.dataDir,
    ...(config.commitIntervalMs !== undefined ? { commitIntervalMs: config.commitIntervalMs } : {}),
    ...(config.journalSegmentBytes !== undefined ? { journalSegmentBytes: config.journalSegmentBytes } : {}),
    ...(config.journalInlineWriteLimitMs !== undefined ? { journalInlineWriteLimitMs: config.journalInlineWriteLimitMs } : {}),
    ...(config.onCommitError ? { onCommitError: config.onCommitError } : {}),
    ...(config.onCommitRecovered ? { onCommitRecovered: config.onCommitRecovered } : {}),
    ...(config.onWarning ? { onWarning: config.onWarning } : {}),
  });
}
