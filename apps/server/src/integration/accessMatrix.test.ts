import { CloseCode, MessageType, SyncMessageType } from '@samverkan/protocol';
import { io as socketIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readDocumentFromFile } from '../store/sqlite/documentReader.js';
import { type StandardClient, rawClient, sessionCookieOf, standardClient, syncMessage, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

type Level = 'none' | 'read' | 'comment' | 'edit' | 'manage';
type Column = 'private' | 'group' | 'network';
const order: Level[] = ['none', 'read', 'comment', 'edit', 'manage'];
const atLeast = (level: Level, needed: Level) => order.indexOf(level) >= order.indexOf(needed);

/**
 * The specification: the matrix of issue 7, written out by hand (not derived from the code).
 * Documents are owned by organisation A; G = {A, B, D}; D and E are guest organisations.
 */
const MATRIX: Record<string, Record<Column, Level>> = {
  'coordinator of A (creator)': { private: 'manage', group: 'manage', network: 'manage' },
  'admin of A': { private: 'manage', group: 'manage', network: 'manage' },
  'coordinator of B (in G)': { private: 'none', group: 'comment', network: 'comment' },
  'coordinator of C (not in G)': { private: 'none', group: 'none', network: 'comment' },
  'guest of D (in G)': { private: 'none', group: 'comment', network: 'none' },
  'guest of E (not in G)': { private: 'none', group: 'none', network: 'none' },
  'admin of B (another organisation, in G)': { private: 'none', group: 'comment', network: 'comment' },
  'user share: editor': { private: 'edit', group: 'edit', network: 'edit' },
  'organisation share: viewer': { private: 'read', group: 'read', network: 'comment' },
  'group share: commenter': { private: 'comment', group: 'comment', network: 'comment' },
  'deactivated user': { private: 'none', group: 'none', network: 'none' },
  anonymous: { private: 'none', group: 'none', network: 'none' },
};

interface Person {
  cookie: string;
  id: string;
  name: string;
}


describe('access control on every channel', () => {
  let server: TestServer;
  const people = new Map<string, Person | null>();
  const documents = new Map<Column, string>();
  const organisations = new Map<string, string>();
  let groupG = '';

  async function api(method: string, path: string, cookie: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown>, response };
  }

  async function organisation(name: string, kind = 'municipality'): Promise<string> {
    const created = await api('POST', '/organisations', server.cookie, { name, kind });
    expect(created.status).toBe(201);
    organisations.set(name, String(created.body.id));
    return String(created.body.id);
  }

  async function person(label: string, organisationName: string, role: 'admin' | 'coordinator' | 'guest' = 'coordinator'): Promise<Person> {
    const email = `${label.replace(/[^a-z]/gi, '').toLowerCase()}@test.se`;
    const invitation = await api('POST', '/invitations', server.cookie, { email, organisationId: organisations.get(organisationName), role });
    expect(invitation.status).toBe(201);
    const accepted = await api('POST', `/invitations/${String(invitation.body.token)}/accept`, undefined, { name: label, password: 'Gemensamt-lösenord-för-test' });
    expect(accepted.status).toBe(201);
    const found: Person = { cookie: sessionCookieOf(accepted.response), id: String((accepted.body.user as { id: string }).id), name: label };
    people.set(label, found);
    return found;
  }

  beforeAll(async () => {
    server = await startTestServer();
    for (const name of ['A', 'B', 'C', 'F1', 'F2', 'F3']) await organisation(name);
    for (const name of ['D', 'E']) await organisation(name, 'guest');
    const group = await api('POST', '/groups', server.cookie, { name: 'G', kind: 'thematic', organisationIds: ['A', 'B', 'D'].map((name) => organisations.get(name)) });
    groupG = String(group.body.id);
    const groupH = String((await api('POST', '/groups', server.cookie, { name: 'H', kind: 'neighbour', organisationIds: [organisations.get('F3')] })).body.id);
    const creator = await person('coordinator of A (creator)', 'A');
    await person('admin of A', 'A', 'admin');
    await person('coordinator of B (in G)', 'B');
    await person('coordinator of C (not in G)', 'C');
    await person('guest of D (in G)', 'D', 'guest');
    await person('guest of E (not in G)', 'E', 'guest');
    await person('admin of B (another organisation, in G)', 'B', 'admin');
    const editor = await person('user share: editor', 'F1');
    await person('organisation share: viewer', 'F2');
    await person('group share: commenter', 'F3');
    const deactivated = await person('deactivated user', 'A');
    people.set('anonymous', null);
    for (const [column, visibility] of [['private', 'private'], ['group', `group:${groupG}`], ['network', 'network']] as const) {
      const created = await api('POST', '/documents', creator.cookie, { type: 'plan', title: `Plan ${column}`, visibility });
      expect(created.status).toBe(201);
      const id = String(created.body.id);
      documents.set(column, id);
      expect((await api('POST', `/documents/${id}/shares`, creator.cookie, { userId: editor.id, role: 'editor' })).status).toBe(201);
      expect((await api('POST', `/documents/${id}/shares`, creator.cookie, { organisationId: organisations.get('F2'), role: 'viewer' })).status).toBe(201);
      expect((await api('POST', `/documents/${id}/shares`, creator.cookie, { groupId: groupH, role: 'commenter' })).status).toBe(201);
    }
    expect((await api('POST', `/users/${deactivated.id}/deactivate`, server.cookie)).status).toBe(204);
  });

  afterAll(async () => {
    await server.stop();
  });

  const rows = Object.keys(MATRIX);
  const columns: Column[] = ['private', 'group', 'network'];

  it('REST: the access level, listings, writes and exports follow the matrix', async () => {
    const failures: string[] = [];
    for (const row of rows) {
      const who = people.get(row);
      const listing = await api('GET', '/documents', who?.cookie);
      const listed = new Set(listing.status === 200 ? (listing.body.documents as { id: string }[]).map((document) => document.id) : []);
      for (const column of columns) {
        const expected = MATRIX[row]![column];
        const id = documents.get(column)!;
        const read = await api('GET', `/documents/${id}`, who?.cookie);
        const actual = read.status === 200 ? (read.body.access as Level) : 'none';
        if (actual !== expected) failures.push(`${row} × ${column}: access ${actual}, expected ${expected}`);
        if (expected === 'none' && ![401, 404].includes(read.status)) failures.push(`${row} × ${column}: GET answered ${read.status}`);
        if (listed.has(id) !== (expected !== 'none')) failures.push(`${row} × ${column}: listed ${listed.has(id)}`);
        const write = await api('PATCH', `/documents/${id}`, who?.cookie, { title: `Plan ${column} (${row.length})` });
        const writeExpected = atLeast(expected, 'edit') ? 200 : expected === 'none' ? (who && row !== 'deactivated user' ? 404 : 401) : 403;
        if (write.status !== writeExpected) failures.push(`${row} × ${column}: PATCH ${write.status}, expected ${writeExpected}`);
        for (const format of ['md', 'csv', 'json', 'html', 'docx']) {
          const exported = await fetch(`${server.url}/api/documents/${id}/export?format=${format}`, { headers: who ? { cookie: who.cookie } : {} });
          await exported.arrayBuffer();
          const exportExpected = expected === 'none' ? (who && row !== 'deactivated user' ? 404 : 401) : 200;
          if (exported.status !== exportExpected) failures.push(`${row} × ${column}: export ${format} ${exported.status}, expected ${exportExpected}`);
        }
        const visibility = await api('PATCH', `/documents/${id}`, who?.cookie, { visibility: column === 'private' ? 'private' : column === 'group' ? `group:${groupG}` : 'network' });
        const manageExpected = expected === 'manage' ? 200 : expected === 'none' ? (who && row !== 'deactivated user' ? 404 : 401) : 403;
        if (visibility.status !== manageExpected) failures.push(`${row} × ${column}: visibility ${visibility.status}, expected ${manageExpected}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('Yjs socket and socket.io: read, write and rooms follow the matrix; refused sockets get zero document bytes', async () => {
    const failures: string[] = [];
    const creator = people.get('coordinator of A (creator)')!;
    const observers = new Map<Column, StandardClient>();
    for (const column of columns) {
      const observer = standardClient({ wsUrl: server.wsUrl, cookie: creator.cookie }, documents.get(column)!);
      await observer.synced();
      observers.set(column, observer);
    }
    const markers: { row: string; column: Column; marker: string; expected: Level }[] = [];
    for (const row of rows) {
      const who = people.get(row);
      for (const column of columns) {
        const expected = MATRIX[row]![column];
        const client = rawClient(`${server.wsUrl}/${documents.get(column)}`, who ? { cookie: who.cookie } : {});
        await client.open;
        if (expected === 'none') {
          const { code } = await client.closed;
          const expectedCode = who && row !== 'deactivated user' ? CloseCode.notFound : CloseCode.unauthorized;
          if (code !== expectedCode) failures.push(`${row} × ${column}: Yjs closed ${code}, expected ${expectedCode}`);
          if (client.received.length !== 0) failures.push(`${row} × ${column}: ${client.received.length} messages before the close`);
          continue;
        }
        const synced = await waitFor(() => client.types().includes(MessageType.sync), 'sync step 1', 3000).then(
          () => true,
          () => false,
        );
        if (!synced) failures.push(`${row} × ${column}: no sync step 1`);
        const marker = `mark-${markers.length}-${row.length}`;
        const local = new Y.Doc();
        local.getText('probe').insert(0, marker);
        client.send(syncMessage(SyncMessageType.update, Y.encodeStateAsUpdate(local)));
        markers.push({ row, column, marker, expected });
        setTimeout(() => client.ws.close(), 300);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 800));
    await server.store.updates.flush();
    for (const { row, column, marker, expected } of markers) {
      const relayed = observers.get(column)!.doc.getText('probe').toString().includes(marker);
      if (relayed !== atLeast(expected, 'edit')) failures.push(`${row} × ${column}: write relayed ${relayed}`);
    }
    // Stored: read from the store's files (SQLite and journal) with a connection of its own.
    const stored: Record<string, string> = {};
    for (const id of documents.values()) {
      const loaded = readDocumentFromFile(`${server.dataDir}/samverkan.sqlite`, id);
      const doc = new Y.Doc();
      if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot);
      for (const update of loaded.updates) Y.applyUpdate(doc, update.data);
      stored[id] = doc.getText('probe').toString();
    }
    for (const { row, column, marker, expected } of markers) {
      const isStored = (stored[documents.get(column)!] ?? '').includes(marker);
      if (isStored !== atLeast(expected, 'edit')) failures.push(`${row} × ${column}: write stored ${isStored}`);
    }
    observers.forEach((observer) => observer.destroy());

    for (const row of rows) {
      const who = people.get(row);
      const socket: Socket = socketIo(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: who ? { cookie: who.cookie } : {} });
      const connected = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        socket.once('connect_error', () => resolve(false));
      });
      for (const column of columns) {
        const expected = MATRIX[row]![column];
        const joined = connected
          ? await new Promise<boolean>((resolve) => socket.emit('document:join', documents.get(column), (answer: { ok: boolean }) => resolve(answer.ok)))
          : false;
        if (joined !== (expected !== 'none')) failures.push(`${row} × ${column}: socket.io room ${joined}`);
      }
      socket.close();
    }
    expect(failures).toEqual([]);
  });

  it('search follows the matrix', async () => {
    const creator = people.get('coordinator of A (creator)')!;
    const found = async (cookie: string | undefined) => {
      const response = await fetch(`${server.url}/api/search?q=vision`, { headers: cookie ? { cookie } : {} });
      if (response.status !== 200) return new Set<string>();
      return new Set(((await response.json()) as { results: { documentId: string }[] }).results.map((result) => result.documentId));
    };
    let all = new Set<string>();
    const deadline = Date.now() + 10_000;
    while (all.size < 3 && Date.now() < deadline) {
      all = await found(creator.cookie);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(all.size).toBe(3);
    const failures: string[] = [];
    for (const row of rows) {
      const hits = await found(people.get(row)?.cookie);
      for (const column of columns) {
        const expected = MATRIX[row]![column] !== 'none';
        if (hits.has(documents.get(column)!) !== expected) failures.push(`${row} × ${column}: search ${!expected}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('cross-site Origin with a valid cookie is refused on both WebSocket endpoints and on REST mutations', async () => {
    const creator = people.get('coordinator of A (creator)')!;
    const headers = { cookie: creator.cookie, origin: 'https://evil.example' };
    await expect(rawClient(`${server.wsUrl}/${documents.get('private')}`, headers).open).rejects.toThrow('HTTP 403');
    await expect(rawClient(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`, headers).open).rejects.toThrow('HTTP 403');
    const mutation = await api('PATCH', `/documents/${documents.get('private')}`, creator.cookie, { title: 'CSRF' }, { origin: 'https://evil.example' });
    expect(mutation.status).toBe(403);
  });

  it('presence cannot be spoofed: only the connection’s own client id, with the session’s identity', async () => {
    const spoofer = people.get('coordinator of B (in G)')!;
    const creator = people.get('coordinator of A (creator)')!;
    const id = documents.get('group')!;
    const observer = standardClient({ wsUrl: server.wsUrl, cookie: creator.cookie }, id);
    await observer.synced();
    observer.provider.awareness.setLocalStateField('user', { name: 'Den riktiga' });
    const attacker = standardClient({ wsUrl: server.wsUrl, cookie: spoofer.cookie }, id);
    await attacker.synced();
    attacker.provider.awareness.setLocalStateField('user', { name: 'Nätverkets administratör', color: '#000' });
    // A forged state for someone else's client id, sent raw through the attacker's socket.
    const forged = rawClient(`${server.wsUrl}/${id}`, { cookie: spoofer.cookie });
    await forged.open;
    const { encodeAwarenessUpdate, Awareness } = await import('y-protocols/awareness');
    const fake = new Awareness(new Y.Doc());
    fake.setLocalState({ user: { name: 'Falsk' } });
    const victimId = observer.doc.clientID;
    const update = encodeAwarenessUpdate(fake, [fake.clientID]);
    // Rewrite the client id to the observer's: a state for another user's client.
    const stolen = new Awareness(new Y.Doc());
    (stolen as unknown as { clientID: number }).clientID = victimId;
    stolen.doc.clientID = victimId;
    stolen.setLocalState({ user: { name: 'Stulen' } });
    const { MessageType: Types } = await import('@samverkan/protocol');
    const encoding = await import('lib0/encoding');
    const frame = (payload: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, Types.awareness);
      encoding.writeVarUint8Array(encoder, payload);
      return encoding.toUint8Array(encoder);
    };
    forged.send(frame(encodeAwarenessUpdate(stolen, [victimId])));
    forged.send(frame(update));
    await waitFor(() => {
      const states = [...observer.provider.awareness.getStates().entries()];
      return states.some(([clientId, state]) => clientId === attacker.doc.clientID && (state.user as { name?: string } | undefined)?.name === spoofer.name);
    }, 'the attacker’s presence with the session identity');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const states = observer.provider.awareness.getStates();
    const names = [...states.values()].map((state) => (state.user as { name?: string } | undefined)?.name);
    expect(names).not.toContain('Nätverkets administratör');
    expect(names).not.toContain('Stulen');
    expect((states.get(victimId)?.user as { name?: string } | undefined)?.name).not.toBe('Stulen');
    expect(names).toContain(spoofer.name);
    forged.ws.close();
    attacker.destroy();
    observer.destroy();
  });
});
