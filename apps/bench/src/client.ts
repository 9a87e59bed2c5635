import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { ServerHandle } from './servers.js';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const ACK = 100;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

/** Options of a protocol-level client. */
export interface ClientOptions {
  /** Called with the raw update payload of every relayed update (readers parse markers from it). */
  onUpdate?: (payload: Uint8Array, receivedAt: number) => void;
  /** Ask Samverkan for acknowledgements (type 100). */
  ack?: boolean;
  /** A Y.Doc of the client's own whose state answers the server's sync step 1 (writers). */
  doc?: Y.Doc;
  /** Called with the acknowledged write count (Samverkan with `ack`). */
  onAck?: (acked: number, receivedAt: number) => void;
}

const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * A protocol-level client: speaks the y-websocket protocol (or Hocuspocus's framing: document
 * name before every message, an auth message first) without holding a shared Y.Doc, so the
 * load generator stays cheap.
 */
export class BenchClient {
  readonly ws: WebSocket;
  syncedAt = 0;
  readonly synced: Promise<void>;
  awarenessReceived = 0;
  updatesReceived = 0;
  acked = 0;
  /** Write messages sent (sync step 2 and update), as the server counts them for acknowledgements. */
  writesSent = 0;
  closed = false;
  private resolveSynced!: () => void;
  private readonly hocuspocus: boolean;

  constructor(
    server: Pick<ServerHandle, 'wsUrl' | 'framing' | 'cookie'>,
    private readonly documentName: string,
    private readonly options: ClientOptions = {},
  ) {
    this.hocuspocus = server.framing === 'hocuspocus';
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve));
    const query = options.ack ? '?ack=1' : '';
    const url = this.hocuspocus ? server.wsUrl : `${server.wsUrl}/${encodeURIComponent(documentName)}${query}`;
    this.ws = new WebSocket(url, { headers: server.cookie ? { cookie: server.cookie } : {}, perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('open', () => {
      if (this.hocuspocus) {
        this.send((encoder) => {
          encoding.writeVarUint(encoder, AUTH);
          encoding.writeVarUint(encoder, 0); // AuthMessageType.Token
          encoding.writeVarString(encoder, 'bench');
        });
      } else {
        this.sendStep1();
      }
    });
    this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    this.ws.on('error', () => undefined);
    this.ws.on('close', () => {
      this.closed = true;
    });
  }

  /** Sends one Yjs update. */
  sendUpdate(update: Uint8Array): void {
    this.writesSent++;
    this.send((encoder) => {
      encoding.writeVarUint(encoder, SYNC);
      encoding.writeVarUint(encoder, UPDATE);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  /** Sends an awareness update (already encoded by y-protocols). */
  sendAwareness(update: Uint8Array): void {
    this.send((encoder) => {
      encoding.writeVarUint(encoder, AWARENESS);
      encoding.writeVarUint8Array(encoder, update);
    });
  }

  terminate(): void {
    this.ws.terminate();
  }

  close(): void {
    this.ws.close();
  }

  private sendStep1(): void {
    this.send((encoder) => {
      encoding.writeVarUint(encoder, SYNC);
      encoding.writeVarUint(encoder, STEP1);
      encoding.writeVarUint8Array(encoder, this.options.doc ? Y.encodeStateVector(this.options.doc) : new Uint8Array([0]));
    });
  }

  private send(write: (encoder: encoding.Encoder) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    if (this.hocuspocus) encoding.writeVarString(encoder, this.documentName);
    write(encoder);
    this.ws.send(encoding.toUint8Array(encoder));
  }

  private receive(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    if (this.hocuspocus) decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === SYNC) {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === STEP1) {
        const reply = this.options.doc ? Y.encodeStateAsUpdate(this.options.doc, payload) : EMPTY_UPDATE;
        this.writesSent++;
        this.send((encoder) => {
          encoding.writeVarUint(encoder, SYNC);
          encoding.writeVarUint(encoder, STEP2);
          encoding.writeVarUint8Array(encoder, reply);
        });
      } else if (syncType === STEP2) {
        if (!this.syncedAt) {
          this.syncedAt = performance.now();
          this.resolveSynced();
        }
      } else if (syncType === UPDATE) {
        this.updatesReceived++;
        this.options.onUpdate?.(payload, performance.now());
      }
    } else if (type === AWARENESS) {
      this.awarenessReceived++;
    } else if (type === AUTH && this.hocuspocus) {
      this.sendStep1();
    } else if (type === ACK) {
      this.acked = decoding.readVarUint(decoder);
      this.options.onAck?.(this.acked, performance.now());
    }
  }
}

/** A writer: a small Y.Doc of its own whose updates carry `@@writer:seq:sentAt@@` markers. */
export class Writer {
  readonly doc = new Y.Doc();
  private readonly text = this.doc.getText('text');
  seq = 0;
  private last: Uint8Array = new Uint8Array();

  constructor(readonly writerId: number) {
    this.doc.on('update', (update: Uint8Array) => {
      this.last = update;
    });
  }

  /** The next update (appends a marker with the send time on the bench's clock). */
  next(): Uint8Array {
    this.seq++;
    this.text.insert(this.text.length, `@@${this.writerId}:${this.seq}:${performance.now().toFixed(3)}@@`);
    return this.last;
  }
}

const MARKER = /@@(\d+):(\d+):(\d+\.\d+)@@/g;

/** Markers found in an update payload (cheap byte scan, no Y.Doc). */
export function readMarkers(payload: Uint8Array): { writerId: number; seq: number; sentAt: number }[] {
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1');
  const found: { writerId: number; seq: number; sentAt: number }[] = [];
  for (const match of text.matchAll(MARKER)) {
    found.push({ writerId: Number(match[1]), seq: Number(match[2]), sentAt: Number(match[3]) });
  }
  return found;
}

/** An awareness update for one client id, encoded like y-protocols does. */
export function awarenessUpdate(clientId: number, clock: number, state: object): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}
