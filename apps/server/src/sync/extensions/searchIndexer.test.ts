import { ActionPlan, type DocumentFacts, initDocument } from '@samverkan/model';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../../store/sqlite/SqliteStore.js';
import { makeTempDir } from '../../test/tempDir.js';
import { createSearchIndexer } from './searchIndexer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('search indexer scheduling', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A real SQLite store whose index writes are recorded (start, end) to see overlaps. */
  function recordingStore() {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    cleanups.push(async () => {
      await store.close();
      temp.remove();
    });
    const writes: { documentId: string; start: number; end: number }[] = [];
    const replace = store.search.replaceDocument.bind(store.search);
    store.search.replaceDocument = async (documentId, entries) => {
      const start = performance.now();
      await replace(documentId, entries);
      writes.push({ documentId, start, end: performance.now() });
    };
    return { store, writes };
  }

  function plan(title: string): Y.Doc {
    const doc = new Y.Doc();
    initDocument(doc, { kind: 'plan', title });
    return doc;
  }

  it('a document edited without pause is indexed at most once per interval, and the last state is indexed', async () => {
    const { store, writes } = recordingStore();
    const indexer = createSearchIndexer(store, pino({ level: 'silent' }), { delayMs: 40, minIntervalMs: 300, gapMs: 5 });
    const doc = plan('Klimatplan');
    const model = new ActionPlan(doc);
    const started = performance.now();
    for (let edit = 0; edit < 40; edit++) {
      model.addMeasure({ title: `Åtgärd ${edit}` });
      indexer.change!({ documentId: 'plan-1', doc, update: new Uint8Array(), origin: { kind: 'server' }, seq: edit });
      await sleep(20); // about 800 ms of continuous editing
    }
    const editing = performance.now() - started;
    await sleep(400);
    const times = writes.map((write) => Math.round(write.start - started));
    // Without the interval it would be indexed about every 40 ms (≈ 20 times).
    expect(writes.length, `index writes at ${times.join(', ')} ms`).toBeGreaterThanOrEqual(2);
    expect(writes.length, `index writes at ${times.join(', ')} ms`).toBeLessThanOrEqual(Math.ceil(editing / 300) + 1);
    for (let index = 1; index < writes.length; index++) expect(writes[index]!.start - writes[index - 1]!.start).toBeGreaterThanOrEqual(280);
    // The last edit is searchable.
    expect((await store.search.search('Åtgärd 39', { documentIds: ['plan-1'], limit: 10 })).length).toBeGreaterThan(0);
  });

  it('the interval stretches with the number of documents waiting: a busy meeting is indexed at a bounded rate', async () => {
    const { store } = recordingStore();
    /** Edits `count` documents every 20 ms for `ms`; returns the times each one was indexed. */
    const editAll = async (count: number, ms: number) => {
      const docs = Array.from({ length: count }, (_, index) => ({ id: `busy-${count}-${index}`, doc: plan(`Plan ${index}`) }));
      const indexedAt = new Map<string, number[]>(docs.map(({ id }) => [id, []]));
      const indexer = createSearchIndexer(store, pino({ level: 'silent' }), {
        delayMs: 20,
        minIntervalMs: 60,
        intervalPerWaitingMs: 100,
        gapMs: 1,
        onIndexed: (id) => indexedAt.get(id)!.push(performance.now()),
      });
      const started = performance.now();
      for (let seq = 1; performance.now() - started < ms; seq++) {
        for (const { id, doc } of docs) {
          new ActionPlan(doc).addMeasure({ title: `Åtgärd ${seq}` });
          indexer.change!({ documentId: id, doc, update: new Uint8Array(), origin: { kind: 'server' }, seq });
        }
        await sleep(20);
      }
      for (const { id, doc } of docs) await indexer.unload!({ documentId: id, doc: () => doc });
      return [...indexedAt.values()];
    };
    // One document alone: every 60 ms (its own interval), about 20 times in 1.2 s.
    const [alone] = await editAll(1, 1200);
    expect(alone!.length).toBeGreaterThanOrEqual(8);
    // Six busy documents: once all of them wait, each waits for the others (6 × 100 ms), so a
    // handful of indexings each instead of about 20.
    const busy = await editAll(6, 1200);
    for (const times of busy) {
      const gaps = times.slice(1).map((time, index) => Math.round(time - times[index]!));
      expect(times.length, `gaps ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(2);
      expect(times.length, `gaps ${gaps.join(', ')} ms`).toBeLessThanOrEqual(5);
      // The first gap follows the first round (fewer waiting then); the last indexing is the unload's.
      // At least 5 × 100 ms between two starts; the times are taken at the end of each indexing,
      // whose store writes take a few ms more or less (a CI run measured 496 ms), hence 450.
      for (const gap of gaps.slice(1, -1)) expect(gap, `gaps ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(450);
    }
  });

  it('documents due at the same moment are indexed one after another, with a gap, never overlapping', async () => {
    const { store, writes } = recordingStore();
    const indexer = createSearchIndexer(store, pino({ level: 'silent' }), { delayMs: 30, gapMs: 15 });
    const docs = Array.from({ length: 6 }, (_, index) => plan(`Plan ${index}`));
    docs.forEach((doc, index) => indexer.change!({ documentId: `plan-${index}`, doc, update: new Uint8Array(), origin: { kind: 'server' }, seq: 1 }));
    await sleep(600);
    expect(writes.map((write) => write.documentId).sort()).toEqual(docs.map((_, index) => `plan-${index}`).sort());
    const ordered = [...writes].sort((a, b) => a.start - b.start);
    for (let index = 1; index < ordered.length; index++) expect(ordered[index]!.start - ordered[index - 1]!.end).toBeGreaterThanOrEqual(10);
  });

  it('a change that alters neither the indexed text nor the facts writes nothing to the store', async () => {
    const { store, writes } = recordingStore();
    let factWrites = 0;
    const setFacts = store.documents.setFacts.bind(store.documents);
    store.documents.setFacts = async (documentId, facts) => {
      factWrites++;
      await setFacts(documentId, facts);
    };
    // The document is in the catalogue (its facts are kept there).
    await store.documents.create({
      id: 'plan-q',
      type: 'plan',
      title: 'Klimatplan',
      visibility: 'private',
      ownerOrganisationId: 'org-1',
      createdBy: 'user-1',
      createdAt: '2026-12-07T08:00:00.000Z',
      updatedAt: '2026-12-07T08:00:00.000Z',
    });
    const indexed: string[] = [];
    const indexer = createSearchIndexer(store, pino({ level: 'silent' }), { delayMs: 20, minIntervalMs: 20, gapMs: 1, onIndexed: (id) => indexed.push(id) });
    let doc = plan('Klimatplan');
    const change = async (edit: () => void, seq: number) => {
      edit();
      indexer.change!({ documentId: 'plan-q', doc, update: new Uint8Array(), origin: { kind: 'server' }, seq });
      const before = indexed.length;
      await vi.waitFor(() => expect(indexed.length).toBeGreaterThan(before), { timeout: 2000 });
    };
    await change(() => new ActionPlan(doc).addMeasure({ title: 'Solceller på skolan' }), 1);
    expect([writes.length, factWrites]).toEqual([1, 1]);
    // Text outside the model's indexed fields: indexed again, nothing written.
    await change(() => doc.getText('scratch').insert(0, 'utkast'), 2);
    expect([writes.length, factWrites]).toEqual([1, 1]);
    // A new measure: both written, and searchable.
    await change(() => new ActionPlan(doc).addMeasure({ title: 'Laddstolpar i Luleå' }), 3);
    expect(writes.length).toBe(2);
    expect(factWrites).toBe(2);
    expect((await store.search.search('Laddstolpar', { documentIds: ['plan-q'], limit: 10 })).length).toBe(1);
    // After an unload the next load (a new Y.Doc, as a room's load makes) starts from the store:
    // the digest kept with the facts says the entries are the same, so nothing is rewritten.
    await indexer.unload!({ documentId: 'plan-q', doc: () => doc });
    const reload = () => {
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc));
      doc = reloaded;
    };
    reload();
    await change(() => doc.getText('scratch').insert(0, 'mer'), 4);
    expect([writes.length, factWrites]).toEqual([2, 2]);
    // A new contributor in this load: the facts are written, the entries are not.
    await indexer.unload!({ documentId: 'plan-q', doc: () => doc });
    reload();
    indexer.change!({ documentId: 'plan-q', doc, update: new Uint8Array(), origin: { kind: 'connection', connectionId: 1, userId: 'user-7' }, seq: 5 });
    await indexer.unload!({ documentId: 'plan-q', doc: () => doc });
    expect([writes.length, factWrites]).toEqual([2, 3]);
    expect((JSON.parse((await store.documents.getFacts(['plan-q'])).get('plan-q')!) as DocumentFacts).contributorIds).toEqual(['user-7']);
    // An indexed field changed while the document was closed (facts from before the digest, or
    // written by another tool): the entries no longer match the digest and are written.
    await store.documents.setFacts('plan-q', JSON.stringify({ measures: [], targets: [] }));
    reload();
    await change(() => doc.getText('scratch').insert(0, 'igen'), 6);
    expect(writes.length).toBe(3);
    expect((await store.search.search('Laddstolpar', { documentIds: ['plan-q'], limit: 10 })).length).toBe(1);
    // Facts that cannot be read count as none: everything is written again, and readable after.
    await indexer.unload!({ documentId: 'plan-q', doc: () => doc });
    await store.documents.setFacts('plan-q', '{"contributorIds": "inte en lista"');
    reload();
    await change(() => doc.getText('scratch').insert(0, 'än en gång'), 7);
    expect(writes.length).toBe(4);
    // (The contributors they held are gone with them; the facts are readable again.)
    const repaired = JSON.parse((await store.documents.getFacts(['plan-q'])).get('plan-q')!) as DocumentFacts;
    expect(repaired.contributorIds).toEqual([]);
    expect(typeof repaired.indexDigest).toBe('string');
  });

  it('indexes the document of the latest change: a room that rested and woke hands over a new Y.Doc', async () => {
    const { store } = recordingStore();
    const indexer = createSearchIndexer(store, pino({ level: 'silent' }), { delayMs: 40, minIntervalMs: 0, gapMs: 5 });
    const before = plan('Vindkraft i Piteå');
    indexer.change!({ documentId: 'plan-w', doc: before, update: new Uint8Array(), origin: { kind: 'server' }, seq: 1 });
    // The room rested: its next write comes with a new document holding the state plus the edit.
    const after = new Y.Doc();
    Y.applyUpdate(after, Y.encodeStateAsUpdate(before));
    new ActionPlan(after).addMeasure({ title: 'Solpaneler på skolor' });
    indexer.change!({ documentId: 'plan-w', doc: after, update: new Uint8Array(), origin: { kind: 'server' }, seq: 2 });
    const found = async () => (await store.search.search('Solpaneler', { documentIds: ['plan-w'], limit: 10 })).length;
    for (let waited = 0; waited < 5000 && (await found()) === 0; waited += 50) await sleep(50);
    expect(await found()).toBe(1);
  });

  it('unloading a document flushes its pending index at once', async () => {
    const { store, writes } = recordingStore();
    const indexer = createSearchIndexer(store, pino({ level: 'silent' }), { delayMs: 60_000 });
    const doc = plan('Pilot i Kalix');
    indexer.change!({ documentId: 'plan-x', doc, update: new Uint8Array(), origin: { kind: 'server' }, seq: 1 });
    expect(writes).toEqual([]);
    await indexer.unload!({ documentId: 'plan-x', doc: () => doc });
    expect(writes.map((write) => write.documentId)).toEqual(['plan-x']);
  });
});
