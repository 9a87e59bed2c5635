import type { Store } from './ports.js';
import { SqliteStore } from './sqlite/SqliteStore.js';

/** Which store to open. */
export interface StoreConfig {
  /** Folder of the embedded SQLite store (default `./data`). */
  dataDir: string;
  /** When set, MongoDB is the store (production). */
  mongodbUrl?: string | undefined;
  /** Called on every failed commit (retried). */
  onCommitError?: (error: unknown) => void;
  /** Called when commits succeed again. */
  onCommitRecovered?: () => void;
}

/** Opens the store chosen by the configuration: MongoDB when `mongodbUrl` is set, else SQLite. */
export function openStore(config: StoreConfig): Store {
  if (config.mongodbUrl) {
    throw new Error('MONGODB_URL is set, but the MongoDB adapter is not part of this build yet; unset it to use the embedded SQLite store');
  }
  return new SqliteStore({
    dataDir: config.dataDir,
    ...(config.onCommitError ? { onCommitError: config.onCommitError } : {}),
    ...(config.onCommitRecovered ? { onCommitRecovered: config.onCommitRecovered } : {}),
  });
}
