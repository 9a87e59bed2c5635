import { loadConfig } from './env.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { KEEP_BUSY, type KeptWrites } from './sync/unsavedWrites.js';

/** How often a shutdown that waits for the store says so. */
const SHUTDOWN_PROGRESS_MS = 5000;
/** Log fields while a reminder's keep has not finished: the disk does not answer. */
const STILL_WRITING = { keepFailed: KEEP_BUSY };

/**
 * Process entry: env → server → signals (ordered shutdown on SIGTERM and SIGINT: every write
 * received becomes durable first; while the store cannot take them, the wait is logged and the
 * waiting writes are kept in a file under DATA_DIR/unsaved, which a second signal, or a kill
 * that follows, leaves for the next start to store).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log);
  let stopping = false;
  /** Log fields of a keep: the file and counts, or why it could not be written. */
  const keptFields = (kept: KeptWrites | null): Record<string, unknown> =>
    kept ? { keptIn: kept.file, keptDocuments: kept.documents, keptWrites: kept.writes } : {};
  const failedFields = (error: unknown): Record<string, unknown> => ({ keepFailed: error instanceof Error ? error.message : String(error) });
  const stop = (signal: string): void => {
    if (stopping) {
      // Asked again while writes still wait for a store that does not take them: stop waiting.
      // They are kept in a file for the next start (their clients also keep their own edits).
      // A reminder's keep still under way means the disk does not answer: the last file written stays.
      let fields: Record<string, unknown>;
      try {
        fields = server.isKeepingUnsaved() ? STILL_WRITING : keptFields(server.keepUnsaved());
      } catch (error) {
        fields = failedFields(error);
      }
      log.warn({ signal, pendingWrites: server.sync.pendingWrites, ...fields }, 'second signal: exiting before the waiting writes are durable; the next start stores the ones kept');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: flushing pending writes');
    const remind = (fields: Record<string, unknown>): void =>
      log.warn({ pendingWrites: server.sync.pendingWrites, ...fields }, 'still waiting for writes to become durable; send the signal again to exit without them');
    const waiting = setInterval(() => {
      // Kept at every reminder too (in the thread pool), so that a kill without a second signal loses nothing either.
      if (server.isKeepingUnsaved()) {
        remind(STILL_WRITING);
        return;
      }
      server.keepUnsavedInBackground().then(
        (kept) => remind(keptFields(kept)),
        (error: unknown) => remind(failedFields(error)),
      );
    }, SHUTDOWN_PROGRESS_MS);
    waiting.unref();
    server
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('uncaughtException', (error) => log.fatal({ err: error }, 'uncaught exception'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
