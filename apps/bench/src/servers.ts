import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.js';

export type ServerName = 'samverkan' | 'y-websocket' | 'hocuspocus';

/** A server under test, running as a child process pinned to its own core where possible. */
export interface ServerHandle {
  name: ServerName;
  pid: number;
  wsUrl: string;
  framing: 'y-websocket' | 'hocuspocus';
  cookie?: string;
  /** Durable store (Samverkan) or memory only (the peers). */
  durable: boolean;
  dataDir?: string;
  /** Creates a document the clients may open; returns the name to connect to. */
  prepareDocument(title: string): Promise<string>;
  /** RSS and heap after a full GC (through the preloaded memory probe). */
  memory(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const benchRoot = join(here, '..');
const repoRoot = join(benchRoot, '..', '..');
const probe = join(benchRoot, 'peers', 'memoryProbe.mjs');

/**
 * The Node flags `npm start` runs the server with (read from the server workspace's start
 * script), so the benchmark measures the server as it is deployed.
 */
let nodeFlags: string[] | null = null;
export function samverkanNodeFlags(): string[] {
  if (nodeFlags) return nodeFlags;
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'apps', 'server', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const match = /^node((?: --[\w-]+(?:=\S+)?)*) dist\/index\.js$/.exec(pkg.scripts?.start ?? '');
  if (!match) throw new Error('apps/server/package.json: the start script is not `node [flags] dist/index.js`');
  nodeFlags = (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
  return nodeFlags;
}

function findReferenceServer(): string {
  for (const base of [join(benchRoot, 'node_modules'), join(repoRoot, 'node_modules')]) {
    const pkg = join(base, 'y-websocket', 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version === '1.5.4') {
      return join(base, 'y-websocket', 'bin', 'server.js');
    }
  }
  throw new Error('y-websocket@1.5.4 is not installed (npm install in apps/bench)');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs `node` pinned to `cpu` with taskset when it exists. */
function launch(args: string[], env: Record<string, string>, cpu: number | null): ChildProcess {
  // BENCH_CPU_PROF=<folder> profiles the servers (`--cpu-prof`) to find hot paths;
  // BENCH_SERVER_LOG=<file> appends their standard output (Samverkan's warnings) to a file.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS='--trace-deopt …' passes V8 flags to the servers (finding deoptimisation loops).
  const flags = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : [];
  const node = [process.execPath, '--expose-gc', ...profile, ...flags, '--import', probe, ...args];
  const command = cpu !== null && existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', String(cpu), ...node] : node;
  const log = process.env.BENCH_SERVER_LOG ? openSync(process.env.BENCH_SERVER_LOG, 'a') : null;
  const child = spawn(command[0] as string, command.slice(1), {
    env: { ...process.env, ...env },
    stdio: ['ignore', log ?? 'ignore', 'pipe'],
  });
  // The child has its own copy of the log's descriptor.
  if (log !== null) closeSync(log);
  child.stderr?.on('data', () => undefined);
  return child;
}

async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      await response.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing answered on port ${port}`);
      await sleep(50);
    }
  }
}

function memoryOf(child: ChildProcess, file: string): () => Promise<{ rss: number; heapUsed: number }> {
  return async () => {
    rmSync(file, { force: true });
    child.kill('SIGUSR2');
    for (let attempt = 0; attempt < 200 && !existsSync(file); attempt++) await sleep(25);
    await sleep(20);
    const usage = JSON.parse(readFileSync(file, 'utf8')) as { rss: number; heapUsed: number };
    return { rss: usage.rss, heapUsed: usage.heapUsed };
  };
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) {
        console.log(`  (server ${child.pid} still running 10 s after SIGTERM: killed)`);
        child.kill('SIGKILL');
        // The next server starts only once this one is gone: it shares the pinned core.
        await Promise.race([exited, sleep(10_000)]);
      }
    }
    cleanup();
  };
}

/** Starts one of the three servers. */
export async function startServer(name: ServerName, cpu: number | null): Promise<ServerHandle> {
  const port = await freePort();
  const temp = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const probeFile = join(temp, 'memory.json');
  const cleanup = () => rmSync(temp, { recursive: true, force: true });
  if (name === 'samverkan') {
    const dist = join(repoRoot, 'apps', 'server', 'dist', 'index.js');
    if (!existsSync(dist)) throw new Error('apps/server/dist is missing: run `npm run build` first');
    const dataDir = join(temp, 'data');
    const child = launch(
      [...samverkanNodeFlags(), dist],
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: process.env.BENCH_SERVER_LOG ? 'warn' : 'error',
        MONGODB_URL: '',
        MAX_MESSAGES_PER_SECOND: '100000',
        MAX_CONNECTIONS_PER_DOCUMENT: '100000',
        MEMORY_PROBE_FILE: probeFile,
      },
      cpu,
    );
    await waitForPort(port);
    const setup = await fetch(`http://127.0.0.1:${port}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        networkName: 'Bench',
        organisationName: 'Bench',
        name: 'Bench',
        email: 'bench@example.se',
        password: 'benchmark-password-2026',
      }),
    });
    const cookie = setup.headers.getSetCookie().find((value) => value.startsWith('samverkan_session='))?.split(';')[0];
    if (!cookie) throw new Error(`Samverkan setup failed: ${setup.status}`);
    return {
      name,
      pid: child.pid as number,
      wsUrl: `ws://127.0.0.1:${port}/yjs`,
      framing: 'y-websocket',
      cookie,
      durable: true,
      dataDir,
      async prepareDocument(title) {
        const response = await fetch(`http://127.0.0.1:${port}/api/documents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ type: 'board', title }),
        });
        if (response.status !== 201) throw new Error(`document creation failed: ${response.status}`);
        return ((await response.json()) as { id: string }).id;
      },
      memory: memoryOf(child, probeFile),
      stop: stopper(child, cleanup),
    };
  }
  const script = name === 'y-websocket' ? findReferenceServer() : join(benchRoot, 'peers', 'hocuspocus.mjs');
  const child = launch([script], { PORT: String(port), HOST: '127.0.0.1', MEMORY_PROBE_FILE: probeFile }, cpu);
  await waitForPort(port);
  return {
    name,
    pid: child.pid as number,
    wsUrl: `ws://127.0.0.1:${port}`,
    framing: name === 'hocuspocus' ? 'hocuspocus' : 'y-websocket',
    durable: false,
    async prepareDocument(title) {
      return `${title.replace(/[^A-Za-z0-9_-]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
    },
    memory: memoryOf(child, probeFile),
    stop: stopper(child, cleanup),
  };
}
