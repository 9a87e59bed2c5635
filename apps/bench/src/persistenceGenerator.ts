/**
 * One load-generator process of the persistence scenario (forked by `persistence()`, one per
 * generator core). It owns some writer documents: for each, a writing client (with
 * acknowledgements on Samverkan) and, on the in-memory peers, a reader that counts what was
 * relayed. Updates are generated before the measured window, so the window only sends them
 * (open loop, at a fixed rate per writer, at most `window` unacknowledged per writer).
 *
 * Protocol with the parent (IPC): the parent sends `setup`; the child answers `ready` once its
 * clients are synced and its updates read from the cache; the parent sends `start` to every
 * child at once; the child answers `done` with what it measured. Sent `generate` instead, the
 * process only fills the cache for some writers and exits (see `persistence()`).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BenchClient, Writer, readMarkers } from './client.js';
import { ownCpuMicros } from './proc.js';
import type { ServerHandle } from './servers.js';
import { sleep, waitUntil } from './stats.js';

/** What the parent tells a generator process. */
export interface GeneratorSetup {
  type: 'setup';
  server: Pick<ServerHandle, 'wsUrl' | 'framing' | 'cookie' | 'durable'>;
  /** Documents this process writes to, one writer each. */
  documents: { name: string; writerId: number }[];
  /** Updates per second per writer. */
  ratePerWriter: number;
  seconds: number;
  /**
   * Seconds of the same load sent before the measured window (not counted): every server gets
   * its just-in-time compiler and caches warm before the figures are taken.
   */
  warmupSeconds: number;
  /** Most unacknowledged (or not yet relayed) updates per writer. */
  window: number;
  /**
   * Folder where each writer's generated updates are kept for the next runs of this bench
   * invocation: every server starts from an empty store, so the same updates apply, and
   * generating them (a few seconds per writer) is done once instead of once per run.
   */
  cacheDir: string;
}

/** What the parent tells a process that only generates updates into the cache, then exits. */
export interface GenerateRequest {
  type: 'generate';
  writerIds: number[];
  count: number;
  cacheDir: string;
}

/** Updates each writer sends in one run (warm-up and window). */
export function updatesPerWriter(setup: Pick<GeneratorSetup, 'ratePerWriter' | 'warmupSeconds' | 'seconds'>): number {
  return Math.ceil(setup.ratePerWriter * (setup.warmupSeconds + setup.seconds)) + 1;
}

/** The cache file of a writer's updates. */
export function updatesFile(cacheDir: string, writerId: number, count: number): string {
  return join(cacheDir, `writer-${writerId}-${count}.bin`);
}

/** Generates writer `writerId`'s `count` updates into its cache file. */
function generateInto(cacheDir: string, writerId: number, count: number): void {
  const writer = new Writer(writerId);
  const parts: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    const update = writer.next();
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32LE(update.byteLength);
    parts.push(length, Buffer.from(update));
  }
  // Written whole and flushed, then renamed: a reader never sees half a file, and the disk is not
  // still writing it back when a measured window begins.
  const file = updatesFile(cacheDir, writerId, count);
  const temporary = `${file}.${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, Buffer.concat(parts));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** Writer `writerId`'s `count` updates, from the cache `persistence()` filled before the run. */
function readUpdates(cacheDir: string, writerId: number, count: number): Uint8Array[] {
  const data = readFileSync(updatesFile(cacheDir, writerId, count));
  const updates: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; ) {
    const end = offset + 4 + data.readUInt32LE(offset);
    updates.push(data.subarray(offset + 4, end));
    offset = end;
  }
  if (updates.length !== count) throw new Error(`cache of writer ${writerId} holds ${updates.length} updates, not ${count}`);
  return updates;
}

/** What a generator process measured. */
export interface GeneratorReport {
  type: 'done';
  /** Commit lags (ms) of updates sent in the measured window and acknowledged (Samverkan). */
  lags: number[];
  sent: number;
  /** Updates acknowledged (Samverkan) or relayed to the reader (peers). */
  committed: number;
  updateBytes: number;
  /** Writers that had `window` updates outstanding when one was due (the server fell behind). */
  windowStalls: number;
  /** From the start (warm-up included) until everything sent was acknowledged or relayed. */
  wallMs: number;
  /** This process's CPU as a fraction of one core over the window. */
  cpu: number;
  errors: string[];
}

interface Pipe {
  client: BenchClient;
  updates: Uint8Array[];
  sendTimes: number[];
  acked: number;
  relayed: number;
}

async function run(setup: GeneratorSetup): Promise<GeneratorReport> {
  const errors: string[] = [];
  const lags: number[] = [];
  const perWriter = updatesPerWriter(setup);
  /** Updates sent before this time (warm-up) are not measured. */
  let measuredFrom = Number.POSITIVE_INFINITY;
  let acknowledged = 0;
  const pipes: Pipe[] = setup.documents.map(({ name, writerId }) => {
    const pipe: Pipe = {
      updates: [],
      sendTimes: [],
      acked: 0,
      relayed: 0,
      client: new BenchClient(setup.server, name, {
        ack: setup.server.durable,
        onAck: (acked, at) => {
          for (let write = pipe.acked + 1; write <= acked; write++) {
            const sent = pipe.sendTimes[write];
            if (sent !== undefined) {
              acknowledged++;
              if (sent >= measuredFrom) lags.push(at - sent);
            }
          }
          pipe.acked = acked;
        },
      }),
    };
    if (!setup.server.durable) {
      new BenchClient(setup.server, name, { onUpdate: (payload) => (pipe.relayed += readMarkers(payload).length) });
    }
    // Read once the writer has synced: the wait below is for both.
    void pipe.client.synced.then(() => {
      pipe.updates = readUpdates(setup.cacheDir, writerId, perWriter);
    });
    return pipe;
  });
  const synced = await waitUntil(() => pipes.every((pipe) => pipe.updates.length === perWriter), 60_000);
  if (!synced) errors.push('writers did not sync within 60 s');
  await sleep(200); // readers (peers) sync too
  process.send?.({ type: 'ready' });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));

  const warmupStarted = performance.now();
  let cpuStart = ownCpuMicros();
  const deadline = warmupStarted + (setup.warmupSeconds + setup.seconds) * 1000;
  let sent = 0;
  let updateBytes = 0;
  let windowStalls = 0;
  const writesBefore = pipes.map((pipe) => pipe.client.writesSent);
  const outstanding = (pipe: Pipe, index: number) =>
    setup.server.durable ? pipe.client.writesSent - pipe.acked : pipe.client.writesSent - (writesBefore[index] as number) - pipe.relayed;
  for (let now = performance.now(); now < deadline; now = performance.now()) {
    if (measuredFrom === Number.POSITIVE_INFINITY && now - warmupStarted >= setup.warmupSeconds * 1000) {
      measuredFrom = now;
      cpuStart = ownCpuMicros();
      process.send?.({ type: 'measuring' });
    }
    const due = Math.min(perWriter, Math.floor(((now - warmupStarted) / 1000) * setup.ratePerWriter) + 1);
    pipes.forEach((pipe, index) => {
      const position = pipe.client.writesSent - (writesBefore[index] as number);
      for (let next = position; next < due; next++) {
        if (outstanding(pipe, index) >= setup.window) {
          windowStalls++;
          break;
        }
        const update = pipe.updates[next] as Uint8Array;
        if (measuredFrom !== Number.POSITIVE_INFINITY) updateBytes += update.byteLength;
        pipe.client.sendUpdate(update);
        pipe.sendTimes[pipe.client.writesSent] = performance.now();
        sent++;
      }
    });
    await sleep(1);
  }
  const drained = await waitUntil(() => pipes.every((pipe, index) => outstanding(pipe, index) === 0), 20_000, 1);
  const wallMs = performance.now() - warmupStarted;
  if (!drained) errors.push('not every update was acknowledged or relayed within 20 s after the window');
  const committed = setup.server.durable ? acknowledged : pipes.reduce((sum, pipe) => sum + pipe.relayed, 0);
  const cpu = (ownCpuMicros() - cpuStart) / 1000 / (performance.now() - measuredFrom);
  return { type: 'done', lags, sent, committed, updateBytes, windowStalls, wallMs, cpu, errors };
}

process.once('message', (setup: GeneratorSetup | GenerateRequest) => {
  if (setup.type === 'generate') {
    for (const writerId of setup.writerIds) generateInto(setup.cacheDir, writerId, setup.count);
    process.exit(0);
  }
  run(setup).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
