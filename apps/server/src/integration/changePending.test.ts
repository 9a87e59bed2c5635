import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockJournal } from '../test/blockJournal.js';
import { standardClient, waitFor } from '../test/clients.js';
import { type TestServer, startTestServer } from '../test/testServer.js';

/** REST changes of document content (create, rename, import, adopt) while the store fails. */
describe('a document change over REST while the store fails', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Every commit starts a journal segment, so that a blocked journal folder fails commits.
    server = await startTestServer({ config: { journalSegmentBytes: 1 }, start: { serverChangePendingAfterMs: 300 } });
  });
  afterAll(async () => {
    await server.stop();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api${path}`, { ...init, headers: { 'content-type': 'application/json', cookie: server.cookie } });
  const rename = (id: string, title: string) => api(`/documents/${id}`, { method: 'PATCH', body: JSON.stringify({ title }) });
  const titleOf = async (id: string) => ((await (await api(`/documents/${id}`)).json()) as { title: string }).title;

  it('is answered as pending instead of hanging, then finished once the store answers; a change asked for meanwhile is refused and never made', async () => {
    const { id } = await server.createDocument('Solceller på skolor');
    const editor = standardClient(server, id);
    await editor.synced();
    const unblock = blockJournal(server.dataDir);
    try {
      const pending = await rename(id, 'Solceller på alla skolor');
      expect(pending.status).toBe(503);
      expect(pending.headers.get('retry-after')).toBeNull();
      const { error } = (await pending.json()) as { error: { id: string; message: string } };
      expect(error.id).toBe('change_pending');
      expect(error.message).toContain('do not repeat it');
      expect(server.store.health().ok).toBe(false);

      // The store is known to fail: the next change does not start, so it must be asked for again.
      const refused = await rename(id, 'Solceller på förskolor');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { id: string } }).error.id).toBe('store_unavailable');
      expect(editor.doc.getMap('meta').get('title')).toBe('Solceller på skolor');
    } finally {
      unblock();
    }
    await waitFor(() => editor.doc.getMap('meta').get('title') === 'Solceller på alla skolor', 'the pending rename to reach the editor', 15_000);
    // The rest of the command ran too: the catalogue mirror and its audit entry.
    const renames = async () => (await server.store.audit.list(100)).filter((entry) => entry.action === 'document.rename' && entry.targetId === id);
    await waitFor(async () => (await renames()).length > 0, 'the pending rename to finish its command', 5000);
    expect(await titleOf(id)).toBe('Solceller på alla skolor');
    // The refused rename never happened.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(editor.doc.getMap('meta').get('title')).toBe('Solceller på alla skolor');
    expect(await renames()).toHaveLength(1);
    editor.destroy();
  }, 30_000);

  it('a document created while the journal fails keeps its catalogue entry and gets its template once the store answers', async () => {
    const unblock = blockJournal(server.dataDir);
    let id: string;
    try {
      // The catalogue (SQLite) still takes the entry; the template (journal) cannot be stored.
      const created = await api('/documents', { method: 'POST', body: JSON.stringify({ type: 'plan', title: 'Klimatplan Kiruna' }) });
      expect(created.status).toBe(503);
      expect(((await created.json()) as { error: { id: string } }).error.id).toBe('change_pending');
      const list = (await (await api('/documents')).json()) as { documents: { id: string; title: string }[] };
      const entry = list.documents.find((document) => document.title === 'Klimatplan Kiruna');
      expect(entry).toBeDefined();
      id = (entry as { id: string }).id;
    } finally {
      unblock();
    }
    await waitFor(() => server.store.health().ok, 'the store to answer again', 15_000);
    const editor = standardClient(server, id);
    await editor.synced();
    const { ActionPlan } = await import('@samverkan/model');
    await waitFor(() => new ActionPlan(editor.doc).summaryText.includes('Vision'), 'the template', 5000);
    editor.destroy();
  }, 30_000);
});
