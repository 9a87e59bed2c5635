import { CloseCode } from '@samverkan/protocol';
import { io as socketIo } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN, sessionCookieOf, standardClient, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

const IDLE_MS = 3000;
const ABSOLUTE_MS = 7000;

describe('a session that ends by time closes its open sockets', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Open sockets' sessions are checked every tenth of the shorter lifetime (300 ms here).
    server = await startTestServer({ config: { sessionIdleMs: IDLE_MS, sessionAbsoluteMs: ABSOLUTE_MS } });
  });
  afterAll(async () => {
    await server.stop();
  });

  const login = async (): Promise<{ cookie: string; at: number }> => {
    const at = Date.now();
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }),
    });
    expect(response.status).toBe(200);
    return { cookie: sessionCookieOf(response), at };
  };

  it('idle: a tab that only reads is signed out (4401, socket.io too), also while its cursor moves; writing counts as use until the absolute end', async () => {
    const reader = await login();
    const writer = await login();
    const listOnly = await login();
    const document = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: writer.cookie },
      body: JSON.stringify({ type: 'plan', title: 'Plan som hålls öppen' }),
    });
    const documentId = ((await document.json()) as { id: string }).id;

    /** A socket.io connection (the live document lists) and when it was disconnected (0: not yet). */
    const openLists = async (cookie: string) => {
      const socket = socketIo(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      let disconnectedAt = 0;
      socket.on('disconnect', () => (disconnectedAt = Date.now()));
      return { socket, disconnectedAt: () => disconnectedAt };
    };
    const watch = async (cookie: string) => {
      const yjs = standardClient({ wsUrl: server.wsUrl, cookie }, documentId);
      const closes: { code: number; at: number }[] = [];
      yjs.provider.on('connection-close', (event: { code: number } | null) => {
        if (event) closes.push({ code: event.code, at: Date.now() });
      });
      await yjs.synced();
      return { yjs, closes, ...(await openLists(cookie)) };
    };
    const read = await watch(reader.cookie);
    const write = await watch(writer.cookie);
    // A tab with only the live document lists open (socket.io, no Yjs connection).
    const lists = await openLists(listOnly.cookie);
    // The writer types every 400 ms; the reader only moves its cursor (presence is not use).
    let cursor = 0;
    const typing = setInterval(() => {
      write.yjs.doc.getText('text').insert(0, 'x');
      read.yjs.provider.awareness.setLocalStateField('cursor', ++cursor);
    }, 400);
    try {
      await waitFor(() => read.closes.length > 0 && read.disconnectedAt() > 0, 'the idle session’s sockets to close', IDLE_MS + 4000);
      expect(read.closes[0]!.code).toBe(CloseCode.unauthorized);
      expect(read.closes[0]!.at - reader.at).toBeGreaterThanOrEqual(IDLE_MS);
      // Ended for REST too.
      expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: reader.cookie } })).status).toBe(401);
      await waitFor(() => lists.disconnectedAt() > 0, 'the socket.io-only session to be disconnected', 4000);
      expect(lists.disconnectedAt() - listOnly.at).toBeGreaterThanOrEqual(IDLE_MS);

      await waitFor(() => write.closes.length > 0 && write.disconnectedAt() > 0, 'the writing session’s sockets to close at its absolute end', ABSOLUTE_MS + 4000);
      expect(write.closes[0]!.code).toBe(CloseCode.unauthorized);
      // Open well past the idle time: its writes kept the session in use.
      expect(write.closes[0]!.at - writer.at).toBeGreaterThanOrEqual(ABSOLUTE_MS);
      expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: writer.cookie } })).status).toBe(401);
    } finally {
      clearInterval(typing);
      lists.socket.close();
      for (const watched of [read, write]) {
        watched.yjs.destroy();
        watched.socket.close();
      }
    }
  }, 30_000);
});
