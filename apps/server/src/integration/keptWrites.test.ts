import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blockJournal } from '../test/blockJournal.js';
import { standardClient, waitFor } from '../test/clients.js';
import { makeTempDir } from '../test/tempDir.js';
import { startTestServer } from '../test/testServer.js';
import { UnsavedWrites, decodeUnsaved } from '../sync/unsavedWrites.js';

/** Writes kept aside at a forced stop (`DATA_DIR/unsaved`), in-process, with the real store. */
describe('writes kept aside while the store does not take them', () => {
  it('a shutdown that completes once the store answers removes the file it kept meanwhile', async () => {
    const server = await startTestServer({ config: { journalSegmentBytes: 1 } });
    try {
      const { id } = await server.createDocument('Vindkraft');
      const editor = standardClient(server, id);
      await editor.synced();
      const unblock = blockJournal(server.dataDir);
      try {
        editor.doc.getText('text').insert(0, 'inte sparat än');
        await waitFor(() => !server.store.health().ok, 'the commit to fail', 10_000);
        const kept = server.keepUnsaved();
        expect(kept?.writes).toBe(1);
        const [document] = decodeUnsaved(readFileSync(kept?.file as string));
        expect(document?.documentId).toBe(id);
        const closing = server.stop({ keepData: true });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(existsSync(kept?.file as string)).toBe(true);
        unblock();
        await closing;
        expect(existsSync(kept?.file as string)).toBe(false);
      } finally {
        unblock();
        editor.destroy();
      }
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('the next start stores what was kept into its document, and sets aside what names no catalogued document', async () => {
    const data = makeTempDir();
    try {
      const first = await startTestServer({ dataDir: data.path });
      const { id } = await first.createDocument('Solkraft');
      await first.stop({ keepData: true });

      // What a stopped process kept: an edit of the document, and one of a document never catalogued.
      const edit = new Y.Doc();
      edit.getText('text').insert(0, 'från förra körningen');
      const stray = new Y.Doc();
      stray.getText('text').insert(0, 'okänt');
      new UnsavedWrites(join(data.path, 'unsaved')).keep([
        { documentId: id, updates: [Y.encodeStateAsUpdate(edit)] },
        { documentId: randomUUID(), updates: [Y.encodeStateAsUpdate(stray)] },
      ]);

      const second = await startTestServer({ dataDir: data.path });
      try {
        expect(await second.recovered).toEqual({ files: 1, documents: 1, writes: 1, failed: 1 });
        const reader = standardClient(second, id);
        await reader.synced();
        expect(reader.doc.getText('text').toString()).toBe('från förra körningen');
        reader.destroy();
        expect(readdirSync(join(data.path, 'unsaved')).filter((name) => name.endsWith('.unsaved'))).toEqual([]);
        expect(readdirSync(join(data.path, 'unsaved', 'failed'))).toHaveLength(1);
      } finally {
        await second.stop({ keepData: true });
      }
    } finally {
      data.remove();
    }
  }, 30_000);
});
