import { ActionPlan } from '@samverkan/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, sessionCookieOf, standardClient, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

interface Result {
  documentId: string;
  documentTitle: string;
  itemId: string | null;
  snippet: { text: string; match: boolean }[];
}

describe('search over what the caller may read', () => {
  let server: TestServer;
  let outsider = '';

  const api = (method: string, path: string, cookie: string, body?: unknown) => apiRequest(server.url, method, path, cookie, body);

  const search = async (query: string, cookie = server.cookie) =>
    ((await api('GET', `/search?q=${encodeURIComponent(query)}`, cookie)).body.results as Result[]) ?? [];

  beforeAll(async () => {
    server = await startTestServer();
    const other = await api('POST', '/organisations', server.cookie, { name: 'Kiruna kommun' });
    const invitation = await api('POST', '/invitations', server.cookie, { email: 'kim@kiruna.test', organisationId: other.body.id, role: 'coordinator' });
    const accepted = await fetch(`${server.url}/api/invitations/${String(invitation.body.token)}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kim', password: 'Gemensamt-lösenord-för-test' }),
    });
    outsider = sessionCookieOf(accepted);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('editing a plan over the Yjs socket updates search; deleting a measure removes it', async () => {
    const { id } = await server.createDocument('Energiplan Haparanda', 'plan');
    const editor = standardClient(server, id);
    await editor.synced();
    const plan = new ActionPlan(editor.doc);
    const measure = plan.addMeasure({ title: 'Byte till Värmepumparna i förskolor', sector: 'buildings' });
    const started = Date.now();
    let results: Result[] = [];
    await waitFor(() => {
      void search('värmepump').then((found) => (results = found));
      return results.some((result) => result.itemId === measure.id);
    }, 'the measure to be searchable', 10_000);
    const delay = Date.now() - started;
    console.log(`search index caught up with a live edit after ${delay} ms`);
    expect(delay).toBeLessThan(10_000);
    const hit = results.find((result) => result.itemId === measure.id)!;
    expect(hit.documentTitle).toBe('Energiplan Haparanda');
    plan.removeMeasure(measure.id);
    await waitFor(() => {
      void search('värmepump').then((found) => (results = found));
      return !results.some((result) => result.itemId === measure.id);
    }, 'the measure to leave search', 10_000);
    editor.destroy();
  });

  it("another municipality's private plan never appears, not even its title, until it is shared", async () => {
    const { id } = await server.createDocument('Hemlig översiktsplan Luleå', 'plan');
    let own: Result[] = [];
    await waitFor(() => {
      void search('översiktsplan').then((found) => (own = found));
      return own.some((result) => result.documentId === id);
    }, 'the owner to find it', 10_000);
    for (const query of ['översiktsplan', 'Hemlig', 'Luleå', 'vision']) {
      const found = await search(query, outsider);
      expect(found.map((result) => result.documentId)).not.toContain(id);
      expect(JSON.stringify(found)).not.toContain('Hemlig');
    }
    expect((await api('PATCH', `/documents/${id}`, server.cookie, { visibility: 'network' })).status).toBe(200);
    expect((await search('Hemlig', outsider)).map((result) => result.documentId)).toContain(id);
  });

  it('validates the query', async () => {
    expect((await api('GET', '/search?q=', server.cookie)).status).toBe(400);
    expect((await api('GET', `/search?q=x&type=memo`, server.cookie)).status).toBe(400);
  });
});
