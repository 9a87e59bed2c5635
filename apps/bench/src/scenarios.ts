import { execFileSync, fork } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchClient, Writer, awarenessUpdate, readMarkers } from './client.js';
import { type GenerateRequest, type GeneratorReport, type GeneratorSetup, updatesFile, updatesPerWriter } from './persistenceGenerator.js';
import { ownCpuMicros, processCpuSplitMicros, processRss, processWriteBytes, processSleeps, processWriteCalls } from './proc.js';
import type { ServerHandle } from './servers.js';
import { percentile, sleep, waitUntil } from './stats.js';

/** What one scenario measured on one server. */
export interface ScenarioResult {
  scenario: string;
  server: string;
  metrics: Record<string, number>;
  /** Updates a reader should have received and did not. */
  lost: number;
  errors: string[];
  /** Load generator CPU as a fraction of one core during the measured window. */
  generatorCpu: number;
  /** Propagation latencies (ms), kept for the chart. */
  latencies?: number[];
  notes?: string[];
}

let nextClientId = 1_000_000;

async function connectAll(clients: BenchClient[], timeoutMs: number, errors: string[]): Promise<void> {
  const ok = await Promise.race([Promise.all(clients.map((client) => client.synced)).then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!ok) errors.push(`${clients.filter((client) => !client.syncedAt).length} of ${clients.length} clients did not sync within ${timeoutMs} ms`);
}

function window(pid: number) {
  const serverStart = processCpuSplitMicros(pid);
  const writesStart = processWriteCalls(pid);
  const sleepsStart = processSleeps(pid);
  const ownStart = ownCpuMicros();
  const wallStart = performance.now();
  return () => {
    const wall = performance.now() - wallStart;
    const serverEnd = processCpuSplitMicros(pid);
    const serverUserMicros = serverEnd.user - serverStart.user;
    const serverSystemMicros = serverEnd.system - serverStart.system;
    return {
      serverCpuMicros: serverUserMicros + serverSystemMicros,
      serverUserMicros,
      serverSystemMicros,
      serverWriteCalls: processWriteCalls(pid) - writesStart,
      serverSleeps: processSleeps(pid) - sleepsStart,
      generatorCpu: (ownCpuMicros() - ownStart) / 1000 / wall,
      wallMs: wall,
    };
  };
}

/** Scenario 1: documents × clients, one writer per document at `rate` updates/s, awareness once a second. */
export async function fanOut(
  server: ServerHandle,
  options: { documents: number; clientsPerDocument: number; rate: number; seconds: number; warmupSeconds: number },
): Promise<ScenarioResult> {
  const errors: string[] = [];
  const latencies: number[] = [];
  const groups: { writer: Writer; writerClient: BenchClient; readers: { client: BenchClient; seen: Set<number> }[] }[] = [];
  for (let index = 0; index < options.documents; index++) {
    const name = await server.prepareDocument(`fanout-${index}`);
    const writer = new Writer(index);
    const readers = Array.from({ length: options.clientsPerDocument - 1 }, () => {
      const seen = new Set<number>();
      const client = new BenchClient(server, name, {
        onUpdate: (payload, at) => {
          for (const marker of readMarkers(payload)) {
            if (seen.has(marker.seq)) continue;
            seen.add(marker.seq);
            latencies.push(at - marker.sentAt);
          }
        },
      });
      return { client, seen };
    });
    groups.push({ writer, writerClient: new BenchClient(server, name, { doc: writer.doc }), readers });
  }
  const all = groups.flatMap((group) => [group.writerClient, ...group.readers.map((reader) => reader.client)]);
  await connectAll(all, 30_000, errors);
  const timers: NodeJS.Timeout[] = [];
  groups.forEach((group, index) => {
    timers.push(
      setTimeout(() => {
        timers.push(setInterval(() => group.writerClient.sendUpdate(group.writer.next()), 1000 / options.rate));
      }, (index * 37) % Math.ceil(1000 / options.rate)),
    );
  });
  all.forEach((client, index) => {
    const clientId = nextClientId++;
    let clock = 0;
    timers.push(
      setTimeout(() => {
        timers.push(setInterval(() => client.sendAwareness(awarenessUpdate(clientId, ++clock, { cursor: clock })), 1000));
      }, index % 1000),
    );
  });
  const deliveredSoFar = () => groups.reduce((sum, group) => sum + group.readers.reduce((count, reader) => count + reader.seen.size, 0), 0);
  // The same load, unmeasured, until the server's just-in-time compiler and caches are warm.
  await sleep(options.warmupSeconds * 1000);
  latencies.length = 0;
  const deliveredBefore = deliveredSoFar();
  const measure = window(server.pid);
  await sleep(options.seconds * 1000);
  timers.forEach((timer) => clearInterval(timer));
  const expected = groups.reduce((sum, group) => sum + group.writer.seq * group.readers.length, 0);
  await waitUntil(() => groups.every((group) => group.readers.every((reader) => reader.seen.size >= group.writer.seq)), 5000);
  const measured = measure();
  const deliveredTotal = deliveredSoFar();
  const delivered = deliveredTotal - deliveredBefore;
  all.forEach((client) => client.terminate());
  return {
    scenario: `fan-out ${options.documents}×${options.clientsPerDocument} @${options.rate}/s`,
    server: server.name,
    metrics: {
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      cpuMicrosPerDelivered: measured.serverCpuMicros / Math.max(1, delivered),
      // The same split in user space (JavaScript, V8, libraries) and in the kernel (mostly socket
      // writes, which on loopback also run the receiving side's TCP path).
      userMicrosPerDelivered: measured.serverUserMicros / Math.max(1, delivered),
      systemMicrosPerDelivered: measured.serverSystemMicros / Math.max(1, delivered),
      writeCallsPerDelivered: measured.serverWriteCalls / Math.max(1, delivered),
      // Times the server's threads slept and were woken again (see processSleeps): an
      // O_DSYNC journal append on ext4 is three, an idle wait for the network one.
      sleepsPerDelivered: measured.serverSleeps / Math.max(1, delivered),
      delivered,
      // What the writers offer in all (the ramp's x axis: see loadAtLatency).
      offeredUpdatesPerSecond: options.documents * options.rate,
    },
    lost: expected - deliveredTotal,
    errors,
    generatorCpu: measured.generatorCpu,
    latencies,
  };
}

/** Scenario 2: one hot document, half of the clients writing every 500 ms, all moving cursors. */
export async function hotDocument(server: ServerHandle, options: { clients: number; seconds: number; cursorHz: number }): Promise<ScenarioResult> {
  const errors: string[] = [];
  const latencies: number[] = [];
  const name = await server.prepareDocument('hot');
  const writers = new Map<number, Writer>();
  const seen: Set<string>[] = [];
  const clients = Array.from({ length: options.clients }, (_, index) => {
    const writer = index % 2 === 0 ? new Writer(index) : null;
    if (writer) writers.set(index, writer);
    const mine = new Set<string>();
    seen.push(mine);
    return new BenchClient(server, name, {
      ...(writer ? { doc: writer.doc } : {}),
      onUpdate: (payload, at) => {
        for (const marker of readMarkers(payload)) {
          const key = `${marker.writerId}:${marker.seq}`;
          if (mine.has(key)) continue;
          mine.add(key);
          latencies.push(at - marker.sentAt);
        }
      },
    });
  });
  await connectAll(clients, 30_000, errors);
  const awarenessBefore = clients.map((client) => client.awarenessReceived);
  const measure = window(server.pid);
  const timers: NodeJS.Timeout[] = [];
  clients.forEach((client, index) => {
    const writer = writers.get(index);
    const clientId = nextClientId++;
    let clock = 0;
    timers.push(
      setTimeout(() => {
        if (writer) timers.push(setInterval(() => client.sendUpdate(writer.next()), 500));
        timers.push(setInterval(() => client.sendAwareness(awarenessUpdate(clientId, ++clock, { cursor: clock })), 1000 / options.cursorHz));
      }, (index * 13) % 500),
    );
  });
  await sleep(options.seconds * 1000);
  timers.forEach((timer) => clearInterval(timer));
  const measured = measure();
  const sentTotal = [...writers.values()].reduce((sum, writer) => sum + writer.seq, 0);
  await waitUntil(() => clients.every((_, index) => seen[index]!.size >= sentTotal - (writers.get(index)?.seq ?? 0)), 5000);
  const lost = clients.reduce((sum, _, index) => sum + Math.max(0, sentTotal - (writers.get(index)?.seq ?? 0) - seen[index]!.size), 0);
  const awarenessRates = clients.map((client, index) => (client.awarenessReceived - (awarenessBefore[index] ?? 0)) / (measured.wallMs / 1000));
  clients.forEach((client) => client.terminate());
  return {
    scenario: `hot document ${options.clients} clients`,
    server: server.name,
    metrics: {
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      awarenessPerClientPerSecondMax: Math.max(...awarenessRates),
      awarenessPerClientPerSecondMedian: percentile(awarenessRates, 50),
    },
    lost,
    errors,
    generatorCpu: measured.generatorCpu,
  };
}

/** Documents each opened by one connection before the base reading of the memory scenario. */
const MEMORY_WARMUP_DOCUMENTS = 100;

/**
 * Scenario 3: idle connections over open documents: memory per connection and per document.
 * Each document is opened by one connection, then more connections join the open documents:
 * per document is measured after the first wave (so it includes the connection that opened
 * it; `…Net` subtracts the per-connection figure of the same run), per connection from the
 * growth between the waves. Each server first opens {@link MEMORY_WARMUP_DOCUMENTS} other
 * documents, kept open, so that what it compiles on first use is not counted per document.
 */
export async function memory(server: ServerHandle, options: { connections: number; documents: number }): Promise<ScenarioResult> {
  const errors: string[] = [];
  const names: string[] = [];
  for (let index = 0; index < options.documents; index++) names.push(await server.prepareDocument(`idle-${index}`));
  // Warm-up: documents of their own, opened like the measured ones and kept open to the end, so
  // that the code each server compiles on first use (handshake, load, sync) is in the base and
  // not counted per document; being open throughout, they are in every reading alike.
  const warmup: BenchClient[] = [];
  for (let index = 0; index < MEMORY_WARMUP_DOCUMENTS; index++) warmup.push(new BenchClient(server, await server.prepareDocument(`warmup-${index}`)));
  await connectAll(warmup, 60_000, errors);
  await sleep(500);
  const base = await server.memory();
  const first = names.map((name) => new BenchClient(server, name));
  await connectAll(first, 60_000, errors);
  await sleep(300);
  const withDocuments = await server.memory();
  const rest: BenchClient[] = [];
  const batch = 500;
  for (let index = 0; index < options.connections - options.documents; index += batch) {
    const wave = Array.from({ length: Math.min(batch, options.connections - options.documents - index) }, (_, offset) => new BenchClient(server, names[(index + offset) % names.length] as string));
    await connectAll(wave, 60_000, errors);
    rest.push(...wave);
  }
  await sleep(500);
  const withConnections = await server.memory();
  // Per connection: the connections added to documents already open (none in a run with one
  // connection per document: n/a there).
  const extra = rest.length > 0 ? rest.length : Number.NaN;
  [...warmup, ...first, ...rest].forEach((client) => client.terminate());
  const heapPerConnectionKiB = (withConnections.heapUsed - withDocuments.heapUsed) / extra / 1024;
  const heapPerDocumentKiB = (withDocuments.heapUsed - base.heapUsed) / options.documents / 1024;
  return {
    scenario: `memory ${options.connections} idle connections / ${options.documents} documents`,
    server: server.name,
    metrics: {
      rssPerConnectionKiB: (withConnections.rss - withDocuments.rss) / extra / 1024,
      heapPerConnectionKiB,
      rssPerDocumentKiB: (withDocuments.rss - base.rss) / options.documents / 1024,
      // An open document with the connection that opened it …
      heapPerDocumentKiB,
      // … and without it: what the document itself adds (the connection is priced per connection).
      heapPerDocumentNetKiB: heapPerDocumentKiB - heapPerConnectionKiB,
      rssTotalMiB: processRss(server.pid) / 1024 / 1024,
    },
    lost: 0,
    errors,
    generatorCpu: 0,
  };
}

/** Options of the persistence scenario (scenario 4). */
export interface PersistenceOptions {
  writers: number;
  seconds: number;
  warmupSeconds: number;
  rate: number;
  window: number;
  generators: number;
  generatorCores: number[] | null;
}

/**
 * Generates the persistence scenario's updates before any server of the invocation starts
 * (then waits for the machine to settle), so that no run measures while they are being made:
 * the first run after generating them showed three to four times the commit lag p99 of later
 * runs.
 */
export async function preparePersistence(options: PersistenceOptions): Promise<void> {
  await generateUpdates(
    Array.from({ length: options.writers }, (_, writerId) => writerId),
    updatesPerWriter({ ratePerWriter: options.rate / options.writers, ...options }),
  );
  await sleep(3000);
}

/**
 * Scenario 4: sustained updates into the store, offered open loop at `rate` updates/s in total
 * by `generators` forked processes (updates generated before the window; at most `window`
 * outstanding per writer). Samverkan: commit lag = acknowledgement time − send time, bytes
 * the server process wrote per byte of update. Peers (no store): updates relayed to a reader.
 * Runs after {@link preparePersistence} with the same options (the generators read its updates).
 */
export async function persistence(server: ServerHandle, options: PersistenceOptions): Promise<ScenarioResult> {
  const documents: { name: string; writerId: number }[] = [];
  for (let index = 0; index < options.writers; index++) documents.push({ name: await server.prepareDocument(`persist-${index}`), writerId: index });
  const processes = Array.from({ length: Math.min(options.generators, options.writers) }, (_, index) => {
    const core = options.generatorCores ? options.generatorCores[index % options.generatorCores.length] : undefined;
    return forkGenerator({
      type: 'setup',
      server: { wsUrl: server.wsUrl, framing: server.framing, durable: server.durable, ...(server.cookie ? { cookie: server.cookie } : {}) },
      documents: documents.filter((_, writer) => writer % options.generators === index),
      ratePerWriter: options.rate / options.writers,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      window: options.window,
      cacheDir: updateCache(),
    }, core);
  });
  await Promise.all(processes.map((generator) => generator.ready));
  processes.forEach((generator) => generator.start());
  // Every generator warms up for the same time; the window opens when the first one is past it.
  await Promise.race(processes.map((generator) => generator.measuring));
  const writeStart = processWriteBytes(server.pid);
  const measure = window(server.pid);
  const reports = await Promise.all(processes.map((generator) => generator.done));
  const measured = measure();
  const written = processWriteBytes(server.pid) - writeStart;
  const lags = reports.flatMap((report) => report.lags);
  const committed = reports.reduce((sum, report) => sum + report.committed, 0);
  const sent = reports.reduce((sum, report) => sum + report.sent, 0);
  const updateBytes = reports.reduce((sum, report) => sum + report.updateBytes, 0);
  const wallMs = Math.max(...reports.map((report) => report.wallMs));
  // Processes sharing a core share its capacity: the busiest core decides validity.
  const perCore = new Map<number, number>();
  processes.forEach((generator, index) => perCore.set(generator.core ?? index, (perCore.get(generator.core ?? index) ?? 0) + (reports[index]?.cpu ?? 0)));
  return {
    scenario: `persistence ${options.writers} writers, ${options.rate} updates/s offered`,
    server: server.name,
    metrics: {
      updatesPerSecond: committed / (wallMs / 1000),
      commitLagP50Ms: server.durable ? percentile(lags, 50) : Number.NaN,
      commitLagP99Ms: server.durable ? percentile(lags, 99) : Number.NaN,
      bytesWrittenPerUpdateByte: server.durable ? written / Math.max(1, updateBytes) : Number.NaN,
      windowStalls: reports.reduce((sum, report) => sum + report.windowStalls, 0),
      serverCpu: measured.serverCpuMicros / 1000 / measured.wallMs,
      generatorCpu: Math.max(...perCore.values()),
    },
    lost: Math.max(0, sent - committed),
    // An in-memory peer that falls behind the offered rate has not relayed everything 20 s after
    // the window: that is its result (counted as lost), not a failure of the harness.
    errors: server.durable ? reports.flatMap((report) => report.errors) : [],
    generatorCpu: Math.max(...perCore.values()),
    notes: server.durable
      ? []
      : ['no store: throughput of relayed updates, no commit lag', ...new Set(reports.flatMap((report) => report.errors))],
  };
}

interface ForkedGenerator {
  core: number | undefined;
  ready: Promise<void>;
  /** Resolves when the generator's warm-up is over. */
  measuring: Promise<void>;
  start: () => void;
  done: Promise<GeneratorReport>;
}

let updateCacheDir: string | null = null;
/** The folder of generated persistence updates, kept for this bench process and removed when it exits. */
function updateCache(): string {
  if (updateCacheDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-updates-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    updateCacheDir = dir;
  }
  return updateCacheDir;
}

/**
 * Generates the writers' updates into the cache unless they are there: split over one process
 * per core.
 */
async function generateUpdates(writerIds: number[], count: number): Promise<void> {
  const cacheDir = updateCache();
  const missing = writerIds.filter((writerId) => !existsSync(updatesFile(cacheDir, writerId, count)));
  if (missing.length === 0) return;
  const script = fileURLToPath(new URL('./persistenceGenerator.ts', import.meta.url));
  const processes = Math.min(cpus().length, missing.length);
  await Promise.all(
    Array.from({ length: processes }, (_, index) => {
      const request: GenerateRequest = { type: 'generate', writerIds: missing.filter((_, position) => position % processes === index), count, cacheDir };
      const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.send(request);
      return new Promise<void>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generating updates failed (exit code ${code})`)))),
      );
    }),
  );
}

/** Forks one generator process (pinned to `core` with taskset when given). */
function forkGenerator(setup: GeneratorSetup, core: number | undefined): ForkedGenerator {
  const script = fileURLToPath(new URL('./persistenceGenerator.ts', import.meta.url));
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (core !== undefined && child.pid !== undefined && existsSync('/usr/bin/taskset')) {
    execFileSync('/usr/bin/taskset', ['-acp', String(core), String(child.pid)], { stdio: 'ignore' });
  }
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let markMeasuring!: () => void;
  const measuring = new Promise<void>((resolve) => (markMeasuring = resolve));
  const done = new Promise<GeneratorReport>((resolve, reject) => {
    child.on('message', (message: { type: string }) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'measuring') markMeasuring();
      else if (message.type === 'done') resolve(message as GeneratorReport);
    });
    // 'close', not 'exit': a child that sends its report and exits at once can have its 'exit'
    // seen before the report's message; 'close' comes after the channel is drained.
    child.on('close', (code) => reject(new Error(`generator process exited with code ${code} before its report`)));
  });
  done.catch(() => {
    markReady();
    markMeasuring();
  });
  child.send(setup);
  return { core, ready, measuring, start: () => child.send({ type: 'start' }), done };
}

/** Scenario 5: cold load of a document with `updates` stored updates: time until a new client has it. */
export async function coldLoad(server: ServerHandle, options: { updates: number; loads: number }): Promise<ScenarioResult> {
  const errors: string[] = [];
  const name = await server.prepareDocument(`cold-${options.updates}`);
  const writer = new Writer(1);
  const client = new BenchClient(server, name, { doc: writer.doc, ack: server.durable });
  await connectAll([client], 30_000, errors);
  for (let index = 0; index < options.updates; index++) {
    client.sendUpdate(writer.next());
    if (index % 500 === 499) {
      if (server.durable) await waitUntil(() => client.acked >= client.writesSent - 2000, 60_000, 2);
      else await sleep(1);
    }
  }
  if (server.durable) await waitUntil(() => client.acked >= client.writesSent, 120_000);
  client.close();
  await sleep(1500); // unload (Samverkan compacts on unload); the peers keep documents in memory
  const times: number[] = [];
  for (let load = 0; load < options.loads; load++) {
    const started = performance.now();
    const reader = new BenchClient(server, name);
    await connectAll([reader], 60_000, errors);
    times.push(reader.syncedAt - started);
    reader.close();
    await sleep(1000);
  }
  return {
    scenario: `cold load ${options.updates} updates`,
    server: server.name,
    metrics: { p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) },
    lost: 0,
    errors,
    generatorCpu: 0,
    notes: server.durable ? [] : ['in memory: the document never left memory (no store to load from)'],
  };
}

/**
 * Scenario 6: reconnect storm, then many joins to one large document. Two results, each with the
 * generator's CPU of its own phase: the joins are cheap for a server and costly for the generator
 * (every joiner receives the whole document), so a saturated generator in the joins says nothing
 * about the storm.
 */
export async function reconnectStorm(server: ServerHandle, options: { clients: number; documents: number; joiners: number; documentKiB: number }): Promise<ScenarioResult[]> {
  const errors: string[] = [];
  const names: string[] = [];
  for (let index = 0; index < options.documents; index++) names.push(await server.prepareDocument(`storm-${index}`));
  const first = Array.from({ length: options.clients }, (_, index) => new BenchClient(server, names[index % names.length] as string));
  await connectAll(first, 60_000, errors);
  first.forEach((client) => client.terminate());
  const started = performance.now();
  const storm = window(server.pid);
  const second = Array.from({ length: options.clients }, (_, index) => new BenchClient(server, names[index % names.length] as string));
  await connectAll(second, 60_000, errors);
  const resyncMs = Math.max(...second.map((client) => client.syncedAt)) - started;
  const stormMeasured = storm();
  second.forEach((client) => client.terminate());

  const big = await server.prepareDocument('big');
  const writer = new Writer(7);
  const owner = new BenchClient(server, big, { doc: writer.doc, ack: server.durable });
  const joinErrors: string[] = [];
  await connectAll([owner], 30_000, joinErrors);
  writer.doc.getText('text').insert(0, 'x'.repeat(options.documentKiB * 1024));
  owner.sendUpdate(writer.next());
  if (server.durable) await waitUntil(() => owner.acked >= owner.writesSent, 30_000);
  // The same quiet start for every server: the generator is still closing the storm's 1,000
  // sockets for a while, and that is not the joins' work.
  await sleep(500);
  const measure = window(server.pid);
  const joiners = Array.from({ length: options.joiners }, () => new BenchClient(server, big));
  await connectAll(joiners, 60_000, joinErrors);
  const measured = measure();
  joiners.forEach((client) => client.terminate());
  owner.terminate();
  return [
    {
      scenario: `reconnect storm ${options.clients} clients on ${options.documents} documents`,
      server: server.name,
      metrics: {
        resyncAllMs: resyncMs,
        cpuMsPerReconnect: stormMeasured.serverCpuMicros / 1000 / options.clients,
        writeCallsPerReconnect: stormMeasured.serverWriteCalls / options.clients,
      },
      lost: 0,
      errors,
      generatorCpu: stormMeasured.generatorCpu,
    },
    {
      scenario: `${options.joiners} joins of one ${options.documentKiB} KiB document`,
      server: server.name,
      metrics: { cpuMsPerJoin: measured.serverCpuMicros / 1000 / options.joiners, joinAllMs: measured.wallMs },
      lost: 0,
      errors: joinErrors,
      generatorCpu: measured.generatorCpu,
    },
  ];
}

/** The machine's fsync latency (4 KiB write + fsync) in a temporary folder: p50 and p99 in ms. */
export function measureFsync(samples = 200): { p50Ms: number; p99Ms: number } {
  const folder = mkdtempSync(join(tmpdir(), 'bench-fsync-'));
  const file = openSync(join(folder, 'probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let index = 0; index < samples; index++) {
      const started = performance.now();
      writeSync(file, block);
      fsyncSync(file);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(file);
    rmSync(folder, { recursive: true, force: true });
  }
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}
