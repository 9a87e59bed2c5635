import { CloseCode, ErrorId } from '@samverkan/protocol';
import { io as socketIo } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, standardClient, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';
import { blockJournal } from '../test/blockJournal.js';

describe('REST API, upgrade router and app events', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Every commit starts a journal segment, so that a blocked journal folder fails commits.
    server = await startTestServer({ config: { allowedOrigins: ['http://localhost:5173'], journalSegmentBytes: 1 } });
  });
  afterAll(async () => {
    await server.stop();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', cookie: server.cookie, ...(init.headers as Record<string, string> | undefined) },
    });

  it('GET /api/health answers 200 with status, store kind and uptime', async () => {
    const response = await api('/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; store: unknown; uptimeSeconds: unknown };
    expect(body).toMatchObject({ status: 'ok', store: { kind: 'sqlite', ok: true } });
    expect(typeof body.uptimeSeconds).toBe('number');
  });

  it('an import body is not read for a caller without a session: 401 before the 13 MB arrive', async () => {
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('no answer before the body was complete'));
      }, 5000);
      socket.once('data', (data: Buffer) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.toString('latin1'));
      });
      socket.on('error', reject);
      // Only the first kilobyte of the announced 13 MB is sent: a server that reads the body first never answers.
      socket.write(
        `POST /api/documents/x/import/preview HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${13 * 1024 * 1024}\r\n\r\n{"file":"${'A'.repeat(1000)}`,
      );
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(answer).toContain('"id":"unauthorized"');
  });

  it('GET /api/health answers 503 while the store cannot commit', async () => {
    const client = standardClient(server, (await server.createDocument('Hälsa')).id);
    await client.synced();
    const unblock = blockJournal(server.dataDir);
    try {
      client.doc.getText('text').insert(0, 'skrivs när disken fungerar igen');
      await waitFor(() => !server.store.health().ok, 'a failed commit', 15_000);
      const response = await api('/health');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable', store: { ok: false } });
    } finally {
      unblock();
    }
    await waitFor(() => server.store.health().ok, 'recovery', 15_000);
    expect((await api('/health')).status).toBe(200);
    client.destroy();
  });

  it('creates, lists, reads and renames documents; the rename reaches open editors live', async () => {
    const created = await api('/documents', { method: 'POST', body: JSON.stringify({ type: 'pilot', title: 'Elbussar i Luleå' }) });
    expect(created.status).toBe(201);
    const document = (await created.json()) as { id: string; type: string; visibility: string };
    expect(document).toMatchObject({ type: 'pilot', visibility: 'private' });
    const list = (await (await api('/documents')).json()) as { documents: { id: string }[] };
    expect(list.documents.map((entry) => entry.id)).toContain(document.id);
    expect(await (await api(`/documents/${document.id}`)).json()).toMatchObject({ title: 'Elbussar i Luleå' });

    const editor = standardClient(server, document.id);
    await editor.synced();
    expect(editor.doc.getMap('meta').get('title')).toBe('Elbussar i Luleå');
    const renamed = await api(`/documents/${document.id}`, { method: 'PATCH', body: JSON.stringify({ title: 'Elbussar i Luleå 2027' }) });
    expect(renamed.status).toBe(200);
    await waitFor(() => editor.doc.getMap('meta').get('title') === 'Elbussar i Luleå 2027', 'live title');
    editor.destroy();
  });

  it('a new plan or pilot log starts from its template, in the creator’s language', async () => {
    const { ActionPlan, PilotLog } = await import('@samverkan/model');
    const plan = standardClient(server, (await server.createDocument('Ny plan', 'plan')).id);
    const pilot = standardClient(server, (await server.createDocument('Ny pilot', 'pilot')).id);
    await Promise.all([plan.synced(), pilot.synced()]);
    expect(new ActionPlan(plan.doc).summaryText).toContain('Vision');
    expect(new ActionPlan(plan.doc).targets.map((target) => target.fields.indicator)).toContain('Territoriella utsläpp av växthusgaser');
    expect(new PilotLog(pilot.doc).sectionText('wentLessWell')).toContain('mindre bra');
    plan.destroy();
    pilot.destroy();
  });

  it('exports what was edited live: Markdown and CSV of a plan, 400 for a format a pilot lacks', async () => {
    const { ActionPlan } = await import('@samverkan/model');
    const { id } = await server.createDocument('Exportplan', 'plan');
    const editor = standardClient(server, id);
    await editor.synced();
    new ActionPlan(editor.doc).addMeasure({ title: 'Fjärrvärme från spillvärme', sector: 'energy_supply', estimatedCo2ReductionT: 1200 });
    await waitFor(() => server.store.commitQueueLength() === 0, 'commit');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const csv = await fetch(`${server.url}/api/documents/${id}/export?format=csv`, { headers: { cookie: server.cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('Title of the action');
    expect(text).toContain('Fjärrvärme från spillvärme,energy_supply');
    const markdown = await (await fetch(`${server.url}/api/documents/${id}/export?format=md`, { headers: { cookie: server.cookie } })).text();
    expect(markdown).toContain('### Fjärrvärme från spillvärme');
    const html = await fetch(`${server.url}/api/documents/${id}/export?format=html`, { headers: { cookie: server.cookie } });
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).toContain('<h3>Fjärrvärme från spillvärme</h3>');
    expect(page).toContain('<html lang="sv">');
    const docx = await fetch(`${server.url}/api/documents/${id}/export?format=docx`, { headers: { cookie: server.cookie } });
    expect(docx.status).toBe(200);
    const { default: JSZip } = await import('jszip');
    const archive = await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()));
    const documentXml = await archive.file('word/document.xml')!.async('string');
    const paragraphs = documentXml.split('</w:p>').map((paragraph) => [...paragraph.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((match) => match[1]).join(''));
    expect(paragraphs).toContain('Exportplan');
    expect(paragraphs).toContain('Fjärrvärme från spillvärme');
    expect(paragraphs).toContain('Förväntad minskning (t CO₂e/år): 1200');
    const pilot = await server.createDocument('Exportpilot', 'pilot');
    expect((await fetch(`${server.url}/api/documents/${pilot.id}/export?format=csv`, { headers: { cookie: server.cookie } })).status).toBe(400);
    expect((await fetch(`${server.url}/api/documents/${pilot.id}/export?format=html`, { headers: { cookie: server.cookie } })).status).toBe(200);
    editor.destroy();
  });

  it('mirrors a title edited in the document into the catalogue', async () => {
    const { id } = await server.createDocument('Före');
    const editor = standardClient(server, id);
    await editor.synced();
    editor.doc.getMap('meta').set('title', 'Efter');
    let title = '';
    await waitFor(() => {
      void api(`/documents/${id}`)
        .then((response) => response.json() as Promise<{ title: string }>)
        .then((body) => (title = body.title));
      return title === 'Efter';
    }, 'the catalogue to mirror the title');
    editor.destroy();
  });

  it('answers bad input with {error: {id, message}} and the right status', async () => {
    const invalid = await api('/documents', { method: 'POST', body: JSON.stringify({ type: 'memo', title: '' }) });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { id: string } }).error.id).toBe(ErrorId.validation);
    const notJson = await api('/documents', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const tooLarge = await api('/documents', { method: 'POST', body: JSON.stringify({ type: 'plan', title: 'x'.repeat(2_000_000) }) });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { id: string } }).error.id).toBe(ErrorId.payloadTooLarge);
    const missing = await api('/documents/nosuchdocument');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { id: string } }).error.id).toBe(ErrorId.notFound);
    expect((await api('/nothing-here')).status).toBe(404);
    // Refused by express or the body parser themselves: still the client's error, as JSON.
    for (const [path, init, status] of [
      ['/invitations/%ZZ', {}, 400],
      ['/documents/%ZZ', {}, 400],
      ['/documents', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json; charset=latin1' } }, 415],
      ['/documents', { method: 'POST', body: '{}', headers: { 'content-encoding': 'foo' } }, 415],
    ] as const) {
      const refused = await api(path, init);
      expect(refused.status, path).toBe(status);
      expect(((await refused.json()) as { error: { id: string } }).error.id).toBe(ErrorId.validation);
    }
    expect((await api('/health')).status).toBe(200); // still up
  });

  it('refuses mutating requests from a foreign Origin and accepts allowed or absent ones', async () => {
    const body = JSON.stringify({ type: 'plan', title: 'CSRF' });
    const foreign = await api('/documents', { method: 'POST', body, headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { id: string } }).error.id).toBe(ErrorId.originRefused);
    expect((await api('/documents', { method: 'POST', body, headers: { origin: 'http://localhost:3000' } })).status).toBe(201);
    expect((await api('/documents', { method: 'POST', body, headers: { origin: 'http://localhost:5173' } })).status).toBe(201);
    expect((await api('/documents', { method: 'POST', body })).status).toBe(201);
  });

  it('refuses WebSocket upgrades from a foreign Origin with HTTP 403 on /yjs and /socket.io', async () => {
    const { id } = await server.createDocument('Origin');
    const yjs = rawClient(`${server.wsUrl}/${id}`, { ...server.headers, origin: 'http://evil.example' });
    await expect(yjs.open).rejects.toThrow('HTTP 403');
    const events = rawClient(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`, { ...server.headers, origin: 'http://evil.example' });
    await expect(events.open).rejects.toThrow('HTTP 403');
    const allowed = rawClient(`${server.wsUrl}/${id}`, { ...server.headers, origin: 'http://localhost:3000' });
    await allowed.open;
    allowed.ws.close();
  });

  it('closes an unknown document with 4404 after the upgrade, sending no document bytes', async () => {
    for (const documentId of ['doesNotExist', '..%2F..%2Fetc', '%ZZ', 'x'.repeat(100)]) {
      const client = rawClient(`${server.wsUrl}/${documentId}`, server.headers);
      await client.open;
      expect((await client.closed).code).toBe(CloseCode.notFound);
      expect(client.received).toEqual([]);
    }
  });

  it('closes a text frame with 1003 and keeps serving others', async () => {
    const { id } = await server.createDocument('Text');
    const client = rawClient(`${server.wsUrl}/${id}`, server.headers);
    await client.open;
    client.ws.send('hej');
    expect((await client.closed).code).toBe(CloseCode.unsupportedData);
    const other = standardClient(server, id);
    await other.synced();
    other.destroy();
  });

  it('serves socket.io app events: hello, and document changes', async () => {
    const socket = socketIo(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: server.cookie } });
    try {
      const hello = await new Promise<{ build: string }>((resolve) => socket.once('hello', resolve));
      expect(hello.build).toBe('test');
      const changed = new Promise<{ title: string }>((resolve) => socket.once('document:changed', resolve));
      await server.createDocument('Ny tavla', 'board');
      expect((await changed).title).toBe('Ny tavla');
    } finally {
      socket.close();
    }
  });
});
