import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../test/testServer.js';

describe('a store that cannot answer for now', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const createOrganisation = (name: string) =>
    fetch(`${server.url}/api/organisations`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: server.cookie }, body: JSON.stringify({ name }) });

  it('answers 503 with Retry-After while the database is locked past its busy timeout, and works again once it is free', async () => {
    // Another process holding SQLite's write lock (a backup tool, an operator's sqlite3 shell).
    const blocker = new Database(join(server.dataDir, 'samverkan.sqlite'));
    blocker.exec('BEGIN IMMEDIATE');
    try {
      const refused = await createOrganisation('Överkalix');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      const body = (await refused.json()) as { error: { id: string; message: string } };
      expect(body.error.id).toBe('store_unavailable');
      expect(body.error.message).toContain('try again shortly');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    const created = await createOrganisation('Överkalix');
    expect(created.status).toBe(201);
  }, 20_000);
});
