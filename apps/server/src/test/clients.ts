import { MessageType } from '@samverkan/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** Polls `condition` (which may ask the store) until it holds or the timeout passes (then throws with `what`). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A standard y-websocket client (the provider browsers use), over `ws`, without BroadcastChannel. */
export interface StandardClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Every update this client produced locally (for reference documents). */
  localUpdates: Uint8Array[];
  synced(): Promise<void>;
  destroy(): void;
}

/** Where a client connects: a server's `/yjs` URL and the session cookie to present. */
export type ClientTarget = string | { wsUrl: string; cookie?: string | undefined };

export function standardClient(target: ClientTarget, documentId: string, params: Record<string, string> = {}): StandardClient {
  const wsUrl = typeof target === 'string' ? target : target.wsUrl;
  const cookie = typeof target === 'string' ? undefined : target.cookie;
  const SocketWithCookie = class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  };
  // Each Node provider adds a process 'exit' listener; many clients in one test are expected.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 500));
  const doc = new Y.Doc();
  const localUpdates: Uint8Array[] = [];
  const provider = new WebsocketProvider(wsUrl, documentId, doc, {
    WebSocketPolyfill: SocketWithCookie as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params,
    maxBackoffTime: 200,
  });
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== provider) localUpdates.push(update);
  });
  return {
    doc,
    provider,
    localUpdates,
    synced: () => waitFor(() => provider.synced, `client of ${documentId} to sync`),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** A protocol-level client: raw WebSocket, records every message it receives. */
export interface RawClient {
  ws: WebSocket;
  received: Uint8Array[];
  /** Resolves with the close code. */
  closed: Promise<{ code: number; reason: string }>;
  open: Promise<void>;
  send(message: Uint8Array): void;
  types(): number[];
}

export function rawClient(url: string, headers: Record<string, string | undefined> = {}): RawClient {
  const ws = new WebSocket(url, {
    headers: Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  });
  const received: Uint8Array[] = [];
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    received,
    closed,
    open,
    send: (message) => ws.send(message),
    types: () => received.map((message) => decoding.readVarUint(decoding.createDecoder(message))),
  };
}

/** A y-protocols awareness update holding one client's state (encoded by hand, as a client would send it). */
export function awarenessUpdate(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

/** `sync` message with the given sub-type and payload. */
export function syncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Decodes the acknowledgement counts among raw messages. */
export function ackCounts(messages: Uint8Array[]): number[] {
  const counts: number[] = [];
  for (const message of messages) {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) === MessageType.ack) counts.push(decoding.readVarUint(decoder));
  }
  return counts;
}

/** The content of the shared types the tests edit, for equality checks. */
export function contentOf(doc: Y.Doc): unknown {
  return {
    text: doc.getText('text').toString(),
    map: doc.getMap('map').toJSON(),
    array: doc.getArray('array').toJSON(),
    meta: doc.getMap('meta').toJSON(),
  };
}

/** A document built from updates (the reference every replica must equal). */
export function referenceDoc(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

let editCounter = 0;

/** Makes one random edit on a text, map or array. Array items are unique, so duplicates show. */
export function randomEdit(doc: Y.Doc, random: () => number, tag: string): void {
  const choice = Math.floor(random() * 6);
  const text = doc.getText('text');
  const map = doc.getMap<string>('map');
  const array = doc.getArray<string>('array');
  switch (choice) {
    case 0:
    case 1:
      text.insert(Math.floor(random() * (text.length + 1)), `${tag}${Math.floor(random() * 1000)} `);
      break;
    case 2:
      if (text.length > 0) {
        const index = Math.floor(random() * text.length);
        text.delete(index, Math.min(1 + Math.floor(random() * 5), text.length - index));
      } else {
        text.insert(0, tag);
      }
      break;
    case 3:
      map.set(`k${Math.floor(random() * 20)}`, `${tag}-${Math.floor(random() * 1000)}`);
      break;
    case 4:
      array.insert(Math.floor(random() * (array.length + 1)), [`${tag}-${editCounter++}`]);
      break;
    default:
      if (array.length > 0) array.delete(Math.floor(random() * array.length), 1);
      else map.delete(`k${Math.floor(random() * 20)}`);
  }
}

/** Deterministic PRNG (mulberry32) so a failing run can be repeated from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Signs up the first admin of an empty server (or signs in) and returns the session cookie. */
export async function setupAdmin(baseUrl: string, credentials: { email: string; password: string } = TEST_ADMIN): Promise<string> {
  const response = await fetch(`${baseUrl}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      networkName: 'Norrbottens energinätverk',
      organisationName: 'Energikontor Norr',
      name: 'Test Admin',
      email: TEST_ADMIN.email,
      password: TEST_ADMIN.password,
    }),
  });
  if (response.status === 201) return sessionCookieOf(response);
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (login.status !== 200) throw new Error(`setupAdmin: ${response.status} / ${login.status}`);
  return sessionCookieOf(login);
}

export const TEST_ADMIN = { email: 'admin@energikontor.test', password: 'Isbrytare-i-Luleå-2026' };

/** `samverkan_session=…` from a response's Set-Cookie. */
export function sessionCookieOf(response: Response): string {
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith('samverkan_session='));
  if (!header) throw new Error('no session cookie in the response');
  return header.split(';')[0] as string;
}

/** A JSON request to the REST API of a test server with a session cookie: status and parsed body ({} when there is none). */
export async function apiRequest(baseUrl: string, method: string, path: string, cookie: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}
