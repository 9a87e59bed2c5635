import { loadConfig } from './env.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

/** How often a shutdown that waits for the store says so. */
const SHUTDOWN_PROGRESS_MS = 5000;

/**
 * Process entry: env → server → signals (ordered shutdown on SIGTERM and SIGINT: every write
 * received becomes durable first; while the store cannot take them, the wait is logged, and a
 * second signal exits without them).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      // Asked again while writes still wait for a store that does not take them: stop waiting.
      // Nothing acknowledged is lost: those writes never were, and their clients send them again.
      log.warn({ signal, pendingWrites: server.sync.pendingWrites }, 'second signal: exiting without the writes that are not durable yet (their clients keep them)');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: flushing pending writes');
    const waiting = setInterval(
      () => log.warn({ pendingWrites: server.sync.pendingWrites }, 'still waiting for writes to become durable; send the signal again to exit without them'),
      SHUTDOWN_PROGRESS_MS,
    );
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
