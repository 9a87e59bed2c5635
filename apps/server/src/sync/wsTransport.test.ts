import { once } from 'node:events';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HeldFrames, SendCoalescer } from './wsTransport.js';

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

/** What `receiving` gets, as it arrives. */
function collect(receiving: Socket): Buffer[] {
  const chunks: Buffer[] = [];
  receiving.on('data', (chunk: Buffer) => chunks.push(chunk));
  return chunks;
}

/** Each buffer written to `sending`, one entry per `write` call. */
function recordWrites(sending: Socket): Buffer[] {
  const writes: Buffer[] = [];
  const write = sending.write.bind(sending);
  sending.write = ((chunk: Buffer, ...rest: never[]) => {
    writes.push(chunk);
    return write(chunk, ...rest);
  });
  return writes;
}

/** A holder as a connection is one: its socket and what it holds. */
const holderOf = (raw: Socket): HeldFrames => ({ raw, held: null, heldBytes: 0 });

describe('SendCoalescer', () => {
  it('holds what is sent to a socket in one turn and writes it out together, as one write, after the turn', async () => {
    const { sending, receiving } = await socketPair();
    const chunks = collect(receiving);
    const writes = recordWrites(sending);
    const coalescer = new SendCoalescer();
    const holder = holderOf(sending);
    for (const text of ['update', 'awareness', 'ack']) coalescer.hold(holder, Buffer.from(text));
    // Nothing has gone to the socket yet: all of it waits, counted, in the holder.
    expect(writes).toHaveLength(0);
    expect(holder.heldBytes).toBe('updateawarenessack'.length);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(holder.held).toBeNull();
    expect(holder.heldBytes).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Buffer.concat(chunks).toString()).toBe('updateawarenessack');
  });

  it('joins the same frames once for every socket that holds them, and keeps each socket\'s own', async () => {
    const pairs = await Promise.all([socketPair(), socketPair(), socketPair()]);
    const received = pairs.map(({ receiving }) => collect(receiving));
    const written = pairs.map(({ sending }) => recordWrites(sending));
    const coalescer = new SendCoalescer();
    const holders = pairs.map(({ sending }) => holderOf(sending));
    const update = Buffer.from('update;');
    const awareness = Buffer.from('awareness;');
    for (const holder of holders.slice(0, 2)) {
      coalescer.hold(holder, update);
      coalescer.hold(holder, awareness);
    }
    coalescer.hold(holders[2] as HeldFrames, awareness);
    coalescer.hold(holders[2] as HeldFrames, Buffer.from('ack;'));
    await new Promise((resolve) => setImmediate(resolve));
    // The first two sockets were written the very same joined buffer; the third its own.
    expect(written.map((writes) => writes.length)).toEqual([1, 1, 1]);
    expect(written[0]?.[0]).toBe(written[1]?.[0]);
    expect(written[2]?.[0]).not.toBe(written[0]?.[0]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received.map((chunks) => Buffer.concat(chunks).toString())).toEqual(['update;awareness;', 'update;awareness;', 'awareness;ack;']);
  });

  it('writes what is held at once when asked (before a control frame), and nothing twice', async () => {
    const { sending, receiving } = await socketPair();
    const chunks = collect(receiving);
    const coalescer = new SendCoalescer();
    const holder = holderOf(sending);
    coalescer.hold(holder, Buffer.from('update;'));
    coalescer.flush(holder);
    sending.write('pong;');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Buffer.concat(chunks).toString()).toBe('update;pong;');
  });

  it('leaves a destroyed socket alone', async () => {
    const { sending } = await socketPair();
    sending.destroy();
    const coalescer = new SendCoalescer();
    const holder = holderOf(sending);
    coalescer.hold(holder, Buffer.from('late'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(holder.held).toBeNull();
  });
});
