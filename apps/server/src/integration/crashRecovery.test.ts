import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ChildServer, createDocumentAt, startChildServer } from '../test/childServer.js';
import { contentOf, randomEdit, seededRandom, standardClient, waitFor } from '../test/clients.js';
import { blockJournal } from '../test/blockJournal.js';
import { makeTempDir } from '../test/tempDir.js';

describe('nothing another client received is lost when the server dies', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function burstThenStop(signal: 'SIGKILL' | 'SIGTERM'): Promise<{ received: Y.Doc; server: ChildServer; dataDir: string; documentId: string }> {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const server = await startChildServer(temp.path);
    cleanups.push(() => server.process.kill('SIGKILL'));
    const documentId = await createDocumentAt(server, `Krasch ${signal}`);
    const writer = standardClient(server, documentId);
    const watcher = standardClient(server, documentId);
    cleanups.push(() => writer.destroy(), () => watcher.destroy());
    await Promise.all([writer.synced(), watcher.synced()]);
    const random = seededRandom(signal === 'SIGKILL' ? 1 : 2);
    for (let edit = 0; edit < 300; edit++) randomEdit(writer.doc, random, 'w');
    // Wait until the watcher has received some but (usually) not all of the burst, then stop.
    await waitFor(() => watcher.doc.getText('text').length > 0 || watcher.doc.getArray('array').length > 0, 'first relayed edits');
    server.process.kill(signal);
    await server.exited;
    writer.provider.disconnect();
    watcher.provider.disconnect();
    const received = new Y.Doc();
    Y.applyUpdate(received, Y.encodeStateAsUpdate(watcher.doc));
    return { received, server, dataDir: temp.path, documentId };
  }

  async function loadAfterRestart(dataDir: string, documentId: string): Promise<Y.Doc> {
    const restarted = await startChildServer(dataDir);
    cleanups.push(() => restarted.process.kill('SIGKILL'));
    const fresh = standardClient(restarted, documentId);
    cleanups.push(() => fresh.destroy());
    await fresh.synced();
    return fresh.doc;
  }

  function includes(loaded: Y.Doc, received: Y.Doc): boolean {
    // Everything the watcher had is in the loaded state: applying it changes nothing.
    const missing = Y.encodeStateAsUpdate(received, Y.encodeStateVector(loaded));
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(loaded));
    const before = JSON.stringify(contentOf(probe));
    Y.applyUpdate(probe, missing);
    return JSON.stringify(contentOf(probe)) === before && Y.decodeUpdate(missing).structs.length === 0;
  }

  it('SIGKILL right after a burst: a restarted server serves every edit the other client had received', async () => {
    const { received, dataDir, documentId } = await burstThenStop('SIGKILL');
    const loaded = await loadAfterRestart(dataDir, documentId);
    expect(received.getText('text').length + received.getArray('array').length).toBeGreaterThan(0);
    expect(includes(loaded, received)).toBe(true);
  });

  it('SIGTERM while the store cannot commit: waits and says so; a second SIGTERM exits 1 and the next start stores the waiting writes', async () => {
    const temp = makeTempDir();
    const server = await startChildServer(temp.path, { JOURNAL_SEGMENT_BYTES: '1' });
    let restarted: ChildServer | null = null;
    try {
      const id = await createDocumentAt(server, 'Full disk');
      const writer = standardClient(server, id);
      await writer.synced();
      const unblock = blockJournal(temp.path);
      let kept: string;
      try {
        // A change made by the server (a rename over REST): the user is told it is pending and
        // need not make it again.
        const renamed = await fetch(`${server.url}/api/documents/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', cookie: server.cookie },
          body: JSON.stringify({ title: 'Full disk, omdöpt' }),
        });
        expect(((await renamed.json()) as { error: { id: string } }).error.id).toBe('change_pending');
        expect(server.logs.some((entry) => entry.msg === 'store commit failed; retrying')).toBe(true);
        // A client's edit waits too.
        writer.doc.getText('text').insert(0, 'väntar på disken');
        await new Promise((resolve) => setTimeout(resolve, 300));
        server.process.kill('SIGTERM');
        const early = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 6000))]);
        expect(early).toBe('still running');
        const reminder = server.logs.find((entry) => entry.msg === 'still waiting for writes to become durable; send the signal again to exit without them');
        expect(reminder?.keptWrites).toBe(2);
        server.process.kill('SIGTERM');
        expect(await server.exited).toBe(1);
        const last = server.logs.find((entry) => String(entry.msg).startsWith('second signal'));
        expect(last?.pendingWrites).toBe(2);
        expect(last?.keptWrites).toBe(2);
        kept = String(last?.keptIn);
        expect(existsSync(kept)).toBe(true);
        expect(statSync(kept).mode & 0o077).toBe(0); // document content: the server's user only
        // No log line carries the content.
        expect(JSON.stringify(server.logs)).not.toContain('väntar på disken');
      } finally {
        unblock();
        // The client that made the edit is gone: only the kept file can bring it back.
        writer.destroy();
      }
      restarted = await startChildServer(temp.path);
      await waitFor(() => restarted?.logs.some((entry) => entry.msg === 'stored the writes an earlier process had to leave unsaved') ?? false, 'the kept writes to be stored', 10_000);
      expect(existsSync(kept)).toBe(false);
      const reader = standardClient(restarted, id);
      await reader.synced();
      expect(reader.doc.getText('text').toString()).toBe('väntar på disken');
      expect(reader.doc.getMap('meta').get('title')).toBe('Full disk, omdöpt');
      reader.destroy();
      // The catalogue follows the stored title.
      const entry = async () =>
        ((await (await fetch(`${restarted?.url}/api/documents/${id}`, { headers: { cookie: restarted?.cookie ?? '' } })).json()) as { title: string }).title;
      await waitFor(async () => (await entry()) === 'Full disk, omdöpt', 'the catalogue title', 5000);
    } finally {
      server.process.kill('SIGKILL');
      restarted?.process.kill('SIGKILL');
      temp.remove();
    }
  }, 45_000);

  it('SIGTERM flushes every pending write, logs it and exits 0', async () => {
    const { received, server, dataDir, documentId } = await burstThenStop('SIGTERM');
    expect(await server.exited).toBe(0);
    const messages = server.logs.map((entry) => entry.msg);
    expect(messages).toContain('shutting down: flushing pending writes');
    expect(messages).toContain('flushed every pending write; store closed');
    const loaded = await loadAfterRestart(dataDir, documentId);
    expect(includes(loaded, received)).toBe(true);
  });
});
