import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setupAdmin } from './clients.js';

/** The server as a child process (`node --import tsx src/index.ts`), for crash and restart tests. */
export interface ChildServer {
  process: ChildProcess;
  port: number;
  url: string;
  wsUrl: string;
  /** Every log line the server printed (JSON objects). */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  /** Session cookie of the first admin (signed up, or signed in after a restart). */
  cookie: string;
  headers: Record<string, string>;
}

const serverRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function startChildServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: serverRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', MONGODB_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A server must not outlive the test process, whatever happens to the test.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'Samverkan is listening') {
            clearTimeout(timer);
            resolve(entry.port as number);
          }
        } catch {
          // not JSON: ignore
        }
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  let cookie: string;
  try {
    cookie = await setupAdmin(url);
  } catch (error) {
    child.kill('SIGKILL'); // never leave a server behind when start-up fails
    throw error;
  }
  return { process: child, port, url, wsUrl: `ws://127.0.0.1:${port}/yjs`, logs, exited, cookie, headers: { cookie } };
}

/** Creates a document through the REST API of a running server. */
export async function createDocumentAt(server: { url: string; cookie: string }, title: string): Promise<string> {
  const response = await fetch(`${server.url}/api/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: server.cookie },
    body: JSON.stringify({ type: 'plan', title }),
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}
