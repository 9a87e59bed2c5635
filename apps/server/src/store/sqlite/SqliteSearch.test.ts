import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/tempDir.js';
import { SqliteStore } from './SqliteStore.js';
import { ftsQuery } from './SqliteSearch.js';

describe('Swedish full-text search (SQLite FTS5)', () => {
  const temp = makeTempDir();
  let store: SqliteStore;
  const entry = (documentId: string, title: string, body = '') => ({ documentId, itemId: null, title, body, sector: null, status: null });

  beforeAll(async () => {
    store = new SqliteStore({ dataDir: temp.path });
    await store.search.replaceDocument('d1', [entry('d1', 'Klimatplan för Luleå kommun', 'Värmepumparna i skolorna byts ut.')]);
    await store.search.replaceDocument('d2', [entry('d2', 'Översiktsplan Piteå', 'Vi får mer solel.')]);
    await store.search.replaceDocument('d3', [entry('d3', 'Farled och hamn', 'Sjöfart')]);
  });
  afterAll(async () => {
    await store.close();
    temp.remove();
  });

  const ids = ['d1', 'd2', 'd3'];
  const find = async (query: string) => (await store.search.search(query, { documentIds: ids, limit: 10 })).map((hit) => hit.documentId).sort();

  it('finds Swedish words by their forms, case-insensitively, with å ä ö as letters of their own', async () => {
    expect(await find('Luleå')).toEqual(['d1']);
    expect(await find('LULEÅ')).toEqual(['d1']);
    expect(await find('värmepump')).toEqual(['d1']);
    expect(await find('ÖVERSIKTSPLAN')).toEqual(['d2']);
    expect(await find('får')).toEqual(['d2']);
    expect(await find('far')).toEqual(['d3']); // "far" does not find "får"
    expect(await find('lulea')).toEqual([]); // a is not å
    expect(await find('klimatplan luleå')).toEqual(['d1']); // every word must match
    expect(await find('klimatplan piteå')).toEqual([]);
  });

  it('only searches the documents it is given, highlights matches, and takes input literally', async () => {
    expect((await store.search.search('värmepump', { documentIds: ['d2', 'd3'], limit: 10 })).length).toBe(0);
    const [hit] = await store.search.search('värmepump', { documentIds: ids, limit: 10 });
    expect(hit?.snippet).toContain('\u0002Värmepumparna\u0003');
    expect(await find('" OR 1=1 --')).toEqual([]);
    expect(await find('NEAR(a b) * ^')).toEqual([]);
    expect(ftsQuery('  ')).toBeNull();
    expect(ftsQuery('a"b')).toBe('"a"* "b"*');
  });

  it('replacing a document drops what was removed from it', async () => {
    await store.search.replaceDocument('d1', [entry('d1', 'Klimatplan för Luleå kommun', 'Inga pumpar längre.')]);
    expect(await find('värmepump')).toEqual([]);
    await store.search.removeDocument('d2');
    expect(await find('översiktsplan')).toEqual([]);
  });
});
