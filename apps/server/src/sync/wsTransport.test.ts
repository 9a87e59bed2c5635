import { once } from 'node:events';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SendCoalescer } from './wsTransport.js';

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

/** A real loopback TCP connection: the server side and the client side. */
async function socketPair(): Promise<{ sending: Socket; receiving: Socket }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const accepted = once(server, 'connection');
  const receiving = connect(port, '127.0.0.1');
  await once(receiving, 'connect');
  const [sending] = (await accepted) as [Socket];
  cleanup.push(() => {
    sending.destroy();
    receiving.destroy();
    server.close();
  });
  return { sending, receiving };
}

describe('SendCoalescer', () => {
  it('holds what is sent to a socket in one turn and writes it out together after the turn', async () => {
    const { sending, receiving } = await socketPair();
    const chunks: Buffer[] = [];
    receiving.on('data', (chunk: Buffer) => chunks.push(chunk));
    const coalescer = new SendCoalescer();
    for (const text of ['update', 'awareness', 'ack']) {
      coalescer.hold(sending);
      sending.write(text);
    }
    // Nothing has gone to the kernel yet: all of it waits in the corked socket.
    expect(sending.writableLength).toBe('updateawarenessack'.length);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sending.writableLength).toBe(0);
    expect(sending.writableCorked).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Buffer.concat(chunks).toString()).toBe('updateawarenessack');
  });

  it('leaves a destroyed socket alone', async () => {
    const { sending } = await socketPair();
    sending.destroy();
    const coalescer = new SendCoalescer();
    coalescer.hold(sending);
    expect(sending.writableCorked).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
  });
});
