import { once } from 'node:events';
import { type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type TestServer, startTestServer } from '../test/testServer.js';

/**
 * The WebSocket protocol itself on the Yjs endpoint (the server reads frames on its own, see
 * sync/wsFrames.ts), spoken by `ws` as a client and by hand on raw TCP.
 */
describe('the Yjs WebSocket endpoint speaks RFC 6455', () => {
  let server: TestServer;
  let documentId: string;

  beforeAll(async () => {
    server = await startTestServer({ config: { metricsPort: 0, wsCloseTimeoutMs: 300 } });
    documentId = (await server.createDocument('Protokollet')).id;
  });
  afterAll(() => server.stop());

  async function openClient(): Promise<WebSocket> {
    const client = new WebSocket(`${server.wsUrl}/${documentId}`, { headers: server.headers });
    await once(client, 'open');
    return client;
  }

  it('answers a ping with a pong carrying the same bytes', async () => {
    const client = await openClient();
    const pong = once(client, 'pong');
    client.ping(Buffer.from('är du där?'));
    const [payload] = (await pong) as [Buffer];
    expect(payload.toString()).toBe('är du där?');
    client.terminate();
  });

  it('echoes the client’s close code and closes the TCP connection', async () => {
    const client = await openClient();
    const connections = server.sync.connectionCount;
    client.close(4000, 'hejdå');
    const [code] = (await once(client, 'close')) as [number];
    expect(code).toBe(4000);
    await expect.poll(() => server.sync.connectionCount).toBe(connections - 1);
  });

  /**
   * A raw TCP client that sends `bytes` (a request and whatever follows it in the same write).
   * Half-open: it never ends its side of the connection unless told to.
   */
  async function raw(bytes: Buffer): Promise<{ socket: Socket; received: () => Buffer }> {
    const socket = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.write(bytes);
    return { socket, received: () => Buffer.concat(chunks) };
  }

  const upgrade = (version = '13'): string =>
    `GET /yjs/${documentId} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: ${version}\r\n` +
    Object.entries(server.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';

  /** The frames after the handshake response: first byte, opcode and payload (frames under 64 KiB). */
  const framesOf = (received: Buffer): { head: number; opcode: number; payload: Buffer }[] => {
    const bytes = received.subarray(received.indexOf('\r\n\r\n') + 4);
    const found: { head: number; opcode: number; payload: Buffer }[] = [];
    for (let at = 0; at + 2 <= bytes.length; ) {
      const short = (bytes[at + 1] as number) & 0x7f;
      const [header, length] = short === 126 ? [4, bytes.readUInt16BE(at + 2)] : [2, short];
      if (short === 127 || at + header + length > bytes.length) break;
      const head = bytes[at] as number;
      found.push({ head, opcode: head & 0x0f, payload: bytes.subarray(at + header, at + header + length) });
      at += header + length;
    }
    return found;
  };
  /** A binary frame holding a sync step 1 (message type 0, step 1 = 0). */
  const isStep1 = (frame: { opcode: number; payload: Buffer }) => frame.opcode === 2 && frame.payload[0] === 0 && frame.payload[1] === 0;
  /** A final binary frame holding a sync step 2 (message type 0, step 2 = 1). */
  const isStep2 = (frame: { head: number; payload: Buffer }) => frame.head === 0x82 && frame.payload[0] === 0 && frame.payload[1] === 1;

  it('reads a frame that arrives in the same packet as the upgrade request', async () => {
    // A masked (key 0) sync step 1 with an empty state vector, right behind the request: the
    // server must answer it (its step 2) even though it came with the handshake.
    const step1 = Buffer.from([0x82, 0x80 | 3, 0, 0, 0, 0, 0, 0, 0]);
    const client = await raw(Buffer.concat([Buffer.from(upgrade()), step1]));
    await expect.poll(() => client.received().toString('latin1')).toContain('\r\n\r\n');
    const text = client.received().toString('latin1');
    expect(text.startsWith('HTTP/1.1 101 Switching Protocols\r\n')).toBe(true);
    expect(text).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    // Binary frames (0x82) follow: the server's step 1 and its answer to ours (type 0, step 2 = 1).
    await expect.poll(() => framesOf(client.received()).some(isStep2)).toBe(true);
    client.socket.destroy();
  });

  it('sends the handshake response and the first frames of the connection in one write', async () => {
    // Every server-side write of the upgraded socket, recorded before the upgrade router sees it.
    const writes: Buffer[] = [];
    const record = (_request: unknown, socket: Socket): void => {
      const write = socket.write.bind(socket);
      socket.write = ((chunk: Buffer | string, ...rest: never[]) => {
        writes.push(Buffer.from(chunk));
        return write(chunk, ...rest);
      });
    };
    server.http.prependOnceListener('upgrade', record);
    try {
      const client = await raw(Buffer.from(upgrade()));
      // The server's sync step 1 has arrived.
      await expect.poll(() => framesOf(client.received()).some(isStep1)).toBe(true);
      const first = writes[0] as Buffer;
      expect(first.toString('latin1').startsWith('HTTP/1.1 101 Switching Protocols\r\n')).toBe(true);
      // The 101 did not go out alone: the step 1 rode in the same system call (a reconnect storm
      // of 1,000 clients makes 2,000 writes instead of 3,000).
      expect(framesOf(first).some(isStep1)).toBe(true);
      client.socket.destroy();
    } finally {
      server.http.off('upgrade', record);
    }
  });

  it('what a turn sent goes out before a pong, a close echo, and the end of a client that half-closed', async () => {
    // Once the connection is open (the server's own step 1 arrived), a sync step 1 (masked, key
    // 0) and, read with it in the same turn, a ping, a close frame or the client's FIN: the step
    // 2 answering it is held for the turn's write, and must still reach the client first. A
    // client that half-closes still gets its answer (its FIN is usually read in a later turn;
    // the transport writes what is held before it ends its side in any case).
    const step1 = Buffer.from([0x82, 0x80 | 3, 0, 0, 0, 0, 0, 0, 0]);
    const ping = Buffer.from([0x89, 0x80 | 2, 0, 0, 0, 0, 0x68, 0x6a]);
    const close = Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]);
    const opened = async () => {
      const client = await raw(Buffer.from(upgrade()));
      await expect.poll(() => framesOf(client.received()).some(isStep1)).toBe(true);
      return client;
    };
    for (const [after, answer] of [
      [ping, 0xa],
      [close, 0x8],
    ] as const) {
      const client = await opened();
      client.socket.write(Buffer.concat([step1, after]));
      await expect.poll(() => framesOf(client.received()).some((frame) => frame.opcode === answer)).toBe(true);
      const opcodes = framesOf(client.received()).map((frame) => frame.opcode);
      const answered = framesOf(client.received()).findIndex(isStep2);
      expect(answered, `opcodes ${opcodes.join(', ')}`).toBeGreaterThanOrEqual(0);
      expect(answered, `opcodes ${opcodes.join(', ')}`).toBeLessThan(opcodes.indexOf(answer));
      client.socket.destroy();
    }
    const client = await opened();
    const ended = once(client.socket, 'end');
    client.socket.end(step1);
    await ended;
    expect(framesOf(client.received()).some(isStep2)).toBe(true);
    client.socket.destroy();
  });

  it('refuses an unknown protocol version with 426 and a bad key with 400, before any 101', async () => {
    const old = await raw(Buffer.from(upgrade('12')));
    await once(old.socket, 'end');
    expect(old.received().toString()).toMatch(/^HTTP\/1.1 426 Upgrade Required\r\n[\s\S]*Sec-WebSocket-Version: 13\r\n/);
    const badKey = await raw(Buffer.from(upgrade().replace('dGhlIHNhbXBsZSBub25jZQ==', 'inte-en-nyckel')));
    await once(badKey.socket, 'end');
    expect(badKey.received().toString()).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    old.socket.destroy();
    badKey.socket.destroy();
  });

  it('a client that never ends its side of the TCP connection is dropped after the close timeout, however the close began', async () => {
    const closeFrame = Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]); // masked (key 0), code 1000
    const unmasked = Buffer.from([0x82, 0x01, 0x00]);
    const text = Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0x41]);
    for (const last of [closeFrame, unmasked, text]) {
      const before = server.sync.connectionCount;
      const client = await raw(Buffer.from(upgrade()));
      await expect.poll(() => server.sync.connectionCount).toBe(before + 1);
      // Its close frame or a frame that closes it, and then nothing: no FIN, ever.
      client.socket.write(last);
      await expect.poll(() => server.sync.connectionCount, { timeout: 3000 }).toBe(before);
      client.socket.destroy();
    }
  });

  it('a refused handshake is destroyed once answered, also when the client never ends its side', async () => {
    const client = await raw(Buffer.from(upgrade('12')));
    // (events.once would reject on the socket's error: the reset is expected here.)
    const closed = new Promise((resolve) => client.socket.once('close', resolve));
    await once(client.socket, 'end');
    expect(client.received().toString()).toMatch(/^HTTP\/1.1 426 /);
    // The server's socket is gone: what the client sends now is refused (reset, then a broken pipe).
    for (let attempt = 0; attempt < 40 && !client.socket.destroyed; attempt++) {
      client.socket.write('hallå?');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await closed;
  });

  it('closes an unmasked frame with 1002 and counts it', async () => {
    const client = await openClient();
    const tcp = (client as WebSocket & { _socket: Socket })._socket;
    tcp.write(Buffer.from([0x82, 0x01, 0x00]));
    const [code] = (await once(client, 'close')) as [number];
    expect(code).toBe(1002);
    const metrics = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/samverkan_rejected_frames_total\{reason="protocol_error"\} [1-9]/);
  });
});
