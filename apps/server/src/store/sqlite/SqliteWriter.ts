import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { serverPackageDir } from '../../paths.js';
import type { WriterRequest, WriterResponse, WriterWorkerData } from './writerProtocol.js';

/**
 * SQLite's result codes (primary, with their extended forms) of a database that cannot answer
 * for now, as opposed to a request that is wrong (a constraint, a syntax error).
 */
const UNAVAILABLE_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOMEM|PROTOCOL)(_|$)/;

/** Code of a writer that exited or did not answer in time. */
export const WRITER_UNAVAILABLE = 'SAMVERKAN_WRITER_UNAVAILABLE';

/** Error returned by the writer worker (SQLite error code kept, message kept). */
export class WriterError extends Error {
  /** The database could not answer for now (see {@link isStoreUnavailable}). */
  readonly storeUnavailable: boolean;

  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'WriterError';
    this.storeUnavailable = code !== undefined && (code === WRITER_UNAVAILABLE || UNAVAILABLE_SQLITE_CODES.test(code));
  }
}

/** The worker scripts: the writer and the compactor. */
export type WorkerRole = 'writer' | 'compactor';

/**
 * Where a worker script is: beside the bundle in `dist/` (`sqliteWriter.js`,
 * `sqliteCompactor.js`), or the plain-JavaScript source beside this file when running from
 * `src/` (tests, `tsx`).
 */
function resolveWorkerScript(role: WorkerRole): URL {
  const here = import.meta.url;
  // From source: beside this file. Bundled: the worker entry points in dist/ (this code may sit
  // in a chunk below it).
  const candidate = here.endsWith('.ts')
    ? new URL(role === 'writer' ? './writerWorker.js' : './compactorWorker.js', here)
    : pathToFileURL(join(serverPackageDir(), 'dist', role === 'writer' ? 'sqliteWriter.js' : 'sqliteCompactor.js'));
  if (!existsSync(fileURLToPath(candidate))) throw new Error(`SQLite writer worker not found at ${candidate.href}`);
  return candidate;
}

/**
 * Main-thread handle of the writer worker: request/response over postMessage. If the worker
 * dies, outstanding requests reject and the next request starts a new worker.
 */
export class SqliteWriter {
  private worker: Worker | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private closing = false;

  constructor(
    private readonly data: WriterWorkerData,
    private readonly role: WorkerRole = 'writer',
  ) {}

  /** Sends one request; buffers in `transfer` move to the worker (they are unusable here afterwards). */
  request<T>(request: WriterRequest, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closing) return Promise.reject(new WriterError('store is closed'));
    const worker = this.ensureWorker();
    const requestId = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ requestId, request }, transfer);
    });
  }

  /** Starts the worker now rather than at the first request. */
  start(): void {
    if (!this.closing) this.ensureWorker();
  }

  /** Stops the worker after the requests already sent have been answered. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  /** Kills the worker as a crash would (used by tests of the recovery path). */
  async crash(): Promise<void> {
    const worker = this.worker;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(resolveWorkerScript(this.role), { workerData: this.data });
    worker.unref();
    worker.on('message', (response: WriterResponse) => {
      const waiter = this.pending.get(response.requestId);
      if (!waiter) return;
      this.pending.delete(response.requestId);
      if (response.ok) waiter.resolve(response.result);
      else waiter.reject(new WriterError(response.error.message, response.error.code));
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const [requestId, waiter] of this.pending) {
        this.pending.delete(requestId);
        waiter.reject(error);
      }
    };
    worker.on('error', (error) => fail(new WriterError(`writer worker failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new WriterError(`writer worker exited with code ${code}`, WRITER_UNAVAILABLE)));
    this.worker = worker;
    return worker;
  }
}
