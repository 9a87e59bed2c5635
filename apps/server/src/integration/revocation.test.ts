import { CloseCode } from '@samverkan/protocol';
import { io as socketIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../store/sqlite/SqliteStore.js';
import { type StandardClient, sessionCookieOf, standardClient, waitFor } from '../test/clients.js';
import { countingStore } from '../test/countingStore.js';
import { makeTempDir } from '../test/tempDir.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

interface Person {
  cookie: string;
  id: string;
  email: string;
}

const PASSWORD = 'Gemensamt-lösenord-för-test';

describe('revoking access closes the affected sockets', () => {
  const temp = makeTempDir();
  let server: TestServer;
  /** A document whose load is held back until `release` (to change access while it loads). */
  let held: { documentId: string; reached: boolean; released: Promise<void> } | null = null;
  let owner: Person;
  let organisationA = '';
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
    const accepted = await api('POST', `/invitations/${String(invitation.body.token)}/accept`, undefined, { name: `Person ${counter}`, password: PASSWORD });
    return { cookie: sessionCookieOf(accepted.response), id: String((accepted.body.user as { id: string }).id), email };
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

  /**
   * The watched sockets were cut (4404 with `document:removed`, or 4401 with a disconnect), and
   * the owner's next edit does not reach them; then the test's clients are closed.
   */
  async function expectCut(watched: Awaited<ReturnType<typeof watch>>, id: string, code: typeof CloseCode.notFound | typeof CloseCode.unauthorized): Promise<void> {
    const told = () => (code === CloseCode.notFound ? watched.removed.includes(id) : watched.disconnected());
    await waitFor(() => watched.closes.includes(code) && told(), 'the sockets to be closed', 5000);
    await ownerEditsUnseen(id, watched.yjs);
    watched.yjs.destroy();
    watched.socket.close();
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
    const gated = countingStore(new SqliteStore({ dataDir: temp.path }), {
      beforeLoad: async (documentId) => {
        if (held?.documentId !== documentId) return;
        held.reached = true;
        await held.released;
      },
    });
    server = await startTestServer({ dataDir: temp.path, start: { store: gated.store } });
    const a = await api('POST', '/organisations', server.cookie, { name: 'A' });
    const c = await api('POST', '/organisations', server.cookie, { name: 'C' });
    organisationA = String(a.body.id);
    organisationC = String(c.body.id);
    owner = await person(organisationA);
  });
  afterAll(async () => {
    await server.stop();
    temp.remove();
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

  it('removing a share while the document is loading for the reader', async () => {
    const reader = await person(organisationC);
    const id = await document('private');
    const share = await api('POST', `/documents/${id}/shares`, owner.cookie, { userId: reader.id, role: 'editor' });
    await waitFor(() => !server.sync.isLoaded(id), 'the document to unload after its creation', 5000);
    let release = (): void => undefined;
    held = { documentId: id, reached: false, released: new Promise<void>((resolve) => (release = resolve)) };
    const client = standardClient({ wsUrl: server.wsUrl, cookie: reader.cookie }, id);
    const closes: number[] = [];
    client.provider.on('connection-close', (event: { code: number } | null) => {
      if (event) closes.push(event.code);
    });
    await waitFor(() => held?.reached === true, 'the reader’s load to start', 5000);
    // Authenticated with the share, now waiting for the load: the share goes.
    expect((await api('DELETE', `/documents/${id}/shares/${String(share.body.id)}`, owner.cookie)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 100));
    held = null;
    release();
    await waitFor(() => closes.includes(CloseCode.notFound), 'the reader to be refused', 5000);
    expect(client.provider.synced).toBe(false);
    await ownerEditsUnseen(id, client);
    client.destroy();
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
    await expectCut(watched, id, CloseCode.notFound);
  });

  it('deactivating the user', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    expect((await api('POST', `/users/${reader.id}/deactivate`, server.cookie)).status).toBe(204);
    await expectCut(watched, id, CloseCode.unauthorized);
  });

  it('taking an organisation out of a group the document is visible to', async () => {
    const reader = await person(organisationC);
    const group = await api('POST', '/groups', server.cookie, { name: 'Energi', kind: 'thematic', organisationIds: [organisationA, organisationC] });
    expect(group.status).toBe(201);
    const id = await document(`group:${String(group.body.id)}`);
    const watched = await watch(reader, id);
    expect((await api('PATCH', `/groups/${String(group.body.id)}`, server.cookie, { organisationIds: [organisationA] })).status).toBe(200);
    await expectCut(watched, id, CloseCode.notFound);
  });

  it('taking an organisation out of a group the document is shared to for editing', async () => {
    const reader = await person(organisationC);
    const group = await api('POST', '/groups', server.cookie, { name: 'Grannar', kind: 'neighbour', organisationIds: [organisationC] });
    const id = await document('private');
    expect((await api('POST', `/documents/${id}/shares`, owner.cookie, { groupId: String(group.body.id), role: 'editor' })).status).toBe(201);
    const watched = await watch(reader, id);
    expect((await api('PATCH', `/groups/${String(group.body.id)}`, server.cookie, { organisationIds: [] })).status).toBe(200);
    await expectCut(watched, id, CloseCode.notFound);
  });

  it('resetting the password closes every socket of the user', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    const link = await api('POST', `/users/${reader.id}/reset-link`, server.cookie);
    expect(link.status).toBe(201);
    expect((await api('POST', `/password-resets/${String(link.body.token)}`, undefined, { password: 'Ett-nytt-lösenord-efter-stölden' })).status).toBe(204);
    await expectCut(watched, id, CloseCode.unauthorized);
  });

  it('changing the password closes the sockets of the other sessions and keeps this one', async () => {
    const reader = await person(organisationC);
    const login = await api('POST', '/auth/login', undefined, { email: reader.email, password: PASSWORD });
    expect(login.status).toBe(200);
    const other: Person = { ...reader, cookie: sessionCookieOf(login.response) };
    const id = await document('network');
    const kept = await watch(reader, id);
    const stolen = await watch(other, id);
    expect((await api('POST', '/auth/password', reader.cookie, { currentPassword: PASSWORD, newPassword: 'Ett-nytt-lösenord-efter-stölden' })).status).toBe(204);
    await waitFor(() => stolen.closes.includes(CloseCode.unauthorized) && stolen.disconnected(), 'the other session’s sockets to be closed', 5000);
    await ownerEditsUnseen(id, stolen.yjs);
    // This session's sockets stay open and keep receiving edits.
    expect(kept.closes).toEqual([]);
    expect(kept.disconnected()).toBe(false);
    const editor = standardClient({ wsUrl: server.wsUrl, cookie: owner.cookie }, id);
    await editor.synced();
    editor.doc.getText('text').insert(0, 'syns för den kvarvarande');
    await waitFor(() => kept.yjs.doc.getText('text').toString().includes('syns för den kvarvarande'), 'the edit to reach the kept session', 5000);
    editor.destroy();
    for (const watched of [kept, stolen]) {
      watched.yjs.destroy();
      watched.socket.close();
    }
  });

  it('signing out', async () => {
    const reader = await person(organisationC);
    const id = await document('network');
    const watched = await watch(reader, id);
    expect((await api('POST', '/auth/logout', reader.cookie)).status).toBe(204);
    await expectCut(watched, id, CloseCode.unauthorized);
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
