import { CloseCode } from '@samverkan/protocol';
import { io as socketIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type StandardClient, sessionCookieOf, standardClient, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

interface Person {
  cookie: string;
  id: string;
}

describe('revoking access closes the affected sockets', () => {
  let server: TestServer;
  let owner: Person;
  let organisationC = '';
  let counter = 0;

  async function api(method: string, path: string, cookie: string | undefined, body?: unknown) {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown>, response };
  }

  async function person(organisationId: string): Promise<Person> {
    const email = `person${++counter}@test.se`;
    const invitation = await api('POST', '/invitations', server.cookie, { email, organisationId, role: 'coordinator' });
    const accepted = await api('POST', `/invitations/${String(invitation.body.token)}/accept`, undefined, { name: `Person ${counter}`, password: 'Gemensamt-lösenord-för-test' });
    return { cookie: sessionCookieOf(accepted.response), id: String((accepted.body.user as { id: string }).id) };
  }

  async function document(visibility: string): Promise<string> {
    const created = await api('POST', '/documents', owner.cookie, { type: 'plan', title: 'Delad plan', visibility });
    return String(created.body.id);
  }

  /** A Yjs client and a socket.io client in the document's room, recording how they are closed. */
  async function watch(person: Person, documentId: string) {
    const yjs: StandardClient = standardClient({ wsUrl: server.wsUrl, cookie: person.cookie }, documentId);
    const closes: number[] = [];
    yjs.provider.on('connection-close', (event: { code: number } | null) => {
      if (event) closes.push(event.code);
    });
    await yjs.synced();
    const socket: Socket = socketIo(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: person.cookie } });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const joined = await new Promise<boolean>((resolve) => socket.emit('document:join', documentId, (answer: { ok: boolean }) => resolve(answer.ok)));
    expect(joined).toBe(true);
    const removed: string[] = [];
    socket.on('document:removed', (entry: { id: string }) => removed.push(entry.id));
    let disconnected = false;
    socket.on('disconnect', () => (disconnected = true));
    return { yjs, socket, closes, removed, disconnected: () => disconnected };
  }

  /** After the change, the owner edits: the revoked client must not receive it. */
  async function ownerEditsUnseen(documentId: string, revoked: StandardClient): Promise<void> {
    const editor = standardClient({ wsUrl: server.wsUrl, cookie: owner.cookie }, documentId);
    await editor.synced();
    editor.doc.getText('text').insert(0, 'efter ändringen');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(revoked.doc.getText('text').toString()).not.toContain('efter ändringen');
    editor.destroy();
  }

  beforeAll(async () => {
    server = await startTestServer();
    const a = await api('POST', '/organisations', server.cookie, { name: 'A' });
    const c = await api('POST', '/organisations', server.cookie, { name: 'C' });
    organisationC = String(c.body.id);
    owner = await person(String(a.body.id));
  });
  afterAll(async () => {
    await server.stop();
  });

  it('removing a share', async () => {
    const reader = await person(organisationC);
    const id = await document('private');
    const share = await api('POST', `/documents/${id}/shares`, owner.cookie, { userId: reader.id, role: 'editor' });
    const watched = await watch(reader, id);
    const started = Date.now();
    expect((await api('DELETE', `/documents/${id}/shares/${String(share.body.id)}`, owner.cookie)).status).toBe(204);
    await waitFor(() => watched.closes.includes(CloseCode.notFound) && watched.removed.includes(id), 'the sockets to be closed', 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    await ownerEditsUnseen(id, watched.yjs);
    watched.yjs.destroy();
    watched.socket.close();
  });

  it('a share that appeared live in a list is taken back live, without a document:join', async () => {
    const reader = await person(organisationC);
    const bystander = await person(organisationC);
    const id = await document('private');
    const connect = async (cookie: string) => {
      const socket: Socket = socketIo(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const events: string[] = [];
      socket.on('document:changed', (entry: { id: string }) => events.push(`changed:${entry.id}`));
      socket.on('document:removed', (entry: { id: string }) => events.push(`removed:${entry.id}`));
      return { socket, events };
    };
    const readerSocket = await connect(reader.cookie);
    const bystanderSocket = await connect(bystander.cookie);
    const share = await api('POST', `/documents/${id}/shares`, owner.cookie, { userId: reader.id, role: 'viewer' });
    await waitFor(() => readerSocket.events.includes(`changed:${id}`), 'the share to reach the reader', 5000);
    expect((await api('DELETE', `/documents/${id}/shares/${String(share.body.id)}`, owner.cookie)).status).toBe(204);
    await waitFor(() => readerSocket.events.includes(`removed:${id}`), 'the revocation to reach the reader', 5000);
    // Someone who never could read it learns nothing about it, not even its id.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bystanderSocket.events).toEqual([]);
    readerSocket.socket.close();
    bystanderSocket.socket.close();
  });

  it('narrowing the visibility', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    expect((await api('PATCH', `/documents/${id}`, owner.cookie, { visibility: 'private' })).status).toBe(200);
    await waitFor(() => watched.closes.includes(CloseCode.notFound) && watched.removed.includes(id), 'the sockets to be closed', 5000);
    await ownerEditsUnseen(id, watched.yjs);
    watched.yjs.destroy();
    watched.socket.close();
  });

  it('deactivating the user', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    expect((await api('POST', `/users/${reader.id}/deactivate`, server.cookie)).status).toBe(204);
    await waitFor(() => watched.closes.includes(CloseCode.unauthorized) && watched.disconnected(), 'the sockets to be closed', 5000);
    await ownerEditsUnseen(id, watched.yjs);
    watched.yjs.destroy();
    watched.socket.close();
  });

  it('signing out', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    expect((await api('POST', '/auth/logout', reader.cookie)).status).toBe(204);
    await waitFor(() => watched.closes.includes(CloseCode.unauthorized) && watched.disconnected(), 'the sockets to be closed', 5000);
    await ownerEditsUnseen(id, watched.yjs);
    watched.yjs.destroy();
    watched.socket.close();
  });

  it('moving a document to the trash disconnects everyone and hides it', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    expect((await api('DELETE', `/documents/${id}`, reader.cookie)).status).toBe(403);
    expect((await api('DELETE', `/documents/${id}`, owner.cookie)).status).toBe(204);
    await waitFor(() => watched.closes.includes(CloseCode.notFound), 'the Yjs socket to be closed', 5000);
    expect((await api('GET', `/documents/${id}`, owner.cookie)).status).toBe(404);
    watched.yjs.destroy();
    watched.socket.close();
  });

  it('an upgraded share reconnects the client with write access', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    watched.yjs.doc.getText('text').insert(0, 'kommentatorn skriver');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.store.updates.flush();
    const stored = await server.store.updates.loadDocument(id);
    const replayed = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(replayed, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(replayed, update.data);
    expect(replayed.getText('text').toString()).toBe(''); // a commenter's edits are not stored
    expect((await api('POST', `/documents/${id}/shares`, owner.cookie, { userId: reader.id, role: 'editor' })).status).toBe(201);
    await waitFor(() => watched.closes.includes(CloseCode.accessChanged), 'the reconnect request', 5000);
    await waitFor(() => watched.yjs.provider.synced, 'the reconnect', 5000);
    watched.yjs.doc.getText('text').insert(0, 'nu som redaktör ');
    const observer = standardClient({ wsUrl: server.wsUrl, cookie: owner.cookie }, id);
    await observer.synced();
    await waitFor(() => observer.doc.getText('text').toString().includes('nu som redaktör'), 'the editor’s change to arrive', 5000);
    observer.destroy();
    watched.yjs.destroy();
    watched.socket.close();
  });
});
