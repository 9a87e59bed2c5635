import { join } from 'node:path';
import { ActionPlan } from '@samverkan/model';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite/SqliteStore.js';
import { blockJournal } from '../test/blockJournal.js';
import { apiRequest, standardClient, waitFor } from '../test/clients.js';
import { makeTempDir } from '../test/tempDir.js';
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

/**
 * The writes that complete a stored document change (an adoption's link, the audit entry) while
 * the database is locked by another process: the change is not reported as undone, and its
 * record is not left out.
 */
describe('the records of a stored document change while the database does not answer', () => {
  const data = makeTempDir();
  let server: TestServer;
  let source: string;
  let measureId: string;
  let target: string;
  beforeAll(async () => {
    // A short lock wait, so that a locked database fails a write within the test's time.
    const store = new SqliteStore({ dataDir: data.path, busyTimeoutMs: 50 });
    server = await startTestServer({ dataDir: data.path, start: { store, serverChangePendingAfterMs: 1500 } });
    source = (await server.createDocument('Luleås plan')).id;
    const editor = standardClient(server, source);
    await editor.synced();
    measureId = new ActionPlan(editor.doc).addMeasure({ title: 'Solceller på skolor', sector: 'energy_supply' }).id;
    await waitFor(() => server.store.commitQueueLength() === 0, 'the measure to be stored');
    editor.destroy();
    target = (await server.createDocument('Gällivares plan')).id;
  });
  afterAll(async () => {
    await server.stop();
    data.remove();
  });

  /** Holds SQLite's write lock from another connection, as another process would, until released. */
  function lockDatabase(): () => void {
    const other = new Database(join(data.path, 'samverkan.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    return () => {
      other.exec('ROLLBACK');
      other.close();
    };
  }
  const adopt = () => apiRequest(server.url, 'POST', `/documents/${source}/adopt`, server.cookie, { measureId, targetPlanId: target });
  const adoptions = async () => ((await apiRequest(server.url, 'GET', `/documents/${source}/adoptions`, server.cookie)).body.adoptions as { targetDocumentId: string }[]).map((entry) => entry.targetDocumentId);
  const audited = async () => (await server.store.audit.list(200)).filter((entry) => entry.action === 'measure.adopt').map((entry) => entry.targetId);
  const copies = async () => {
    const reader = standardClient(server, target);
    await reader.synced();
    const titles = new ActionPlan(reader.doc).measures.map((measure) => measure.fields.title);
    reader.destroy();
    return titles;
  };

  it('an adoption whose link meets a locked database waits for it and succeeds, once', async () => {
    const release = lockDatabase();
    const unlocking = new Promise<void>((resolve) => setTimeout(() => (release(), resolve()), 400));
    const adopted = await adopt();
    await unlocking;
    expect(adopted.status).toBe(201);
    expect(await adoptions()).toEqual([target]);
    expect(await audited()).toEqual([adopted.body.targetItemId]);
    expect(await copies()).toEqual(['Solceller på skolor']);
  }, 20_000);

  it('a rename whose catalogue mirror meets a locked database waits for it: the title and one audit entry', async () => {
    const release = lockDatabase();
    const unlocking = new Promise<void>((resolve) => setTimeout(() => (release(), resolve()), 400));
    const renamed = await apiRequest(server.url, 'PATCH', `/documents/${target}`, server.cookie, { title: 'Gällivares klimatplan' });
    await unlocking;
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe('Gällivares klimatplan');
    expect((await apiRequest(server.url, 'GET', `/documents/${target}`, server.cookie)).body.title).toBe('Gällivares klimatplan');
    expect((await server.store.audit.list(200)).filter((entry) => entry.action === 'document.rename' && entry.targetId === target)).toHaveLength(1);
  }, 20_000);

  it('one that waits longer is answered pending, and its link and audit entry are written once the database answers', async () => {
    const [linksBefore, auditedBefore, copiesBefore] = [(await adoptions()).length, (await audited()).length, (await copies()).length];
    const release = lockDatabase();
    let answer: Awaited<ReturnType<typeof adopt>>;
    try {
      answer = await adopt();
    } finally {
      release();
    }
    expect(answer.status).toBe(503);
    expect((answer.body.error as { id: string }).id).toBe('change_pending');
    await waitFor(async () => (await adoptions()).length === linksBefore + 1, 'the pending adoption to be linked', 10_000);
    await waitFor(async () => (await audited()).length === auditedBefore + 1, 'its audit entry', 5000);
    // The copy was made once: the user was not asked to adopt again.
    expect(await copies()).toHaveLength(copiesBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await adoptions()).toHaveLength(linksBefore + 1);
    expect(await audited()).toHaveLength(auditedBefore + 1);
  }, 20_000);
});
