import type { Store } from './ports.js';
import { SqliteStore } from './sqlite/SqliteStore.js';

/** Which store to open. */
export interface StoreConfig {
  /** Folder of the embedded SQLite store (default `./data`). */
  dataDir: string;
  /** When set, MongoDB is the store (production). */
  mongodbUrl?: string | undefined;
  /** Shortest time between the starts of two update commits (SQLite; default 2 ms). */
  commitIntervalMs?: number;
  /** Called on every failed commit (retried). */
  onCommitError?: (error: unknown) => void;
  /** Called when commits succeed again. */
  onCommitRecovered?: () => void;
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
    ...(config.onCommitError ? { onCommitError: config.onCommitError } : {}),
    ...(config.onCommitRecovered ? { onCommitRecovered: config.onCommitRecovered } : {}),
  });
}
