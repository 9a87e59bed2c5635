import { initDocument, setTitle } from '@samverkan/model';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../../store/sqlite/SqliteStore.js';
import { makeTempDir } from '../../test/tempDir.js';
import { createCatalogExtension } from './catalog.js';

describe('catalogue extension: the title mirrored from the document', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function catalogued(title: string) {
    const temp = makeTempDir();
    const store = new SqliteStore({ dataDir: temp.path });
    cleanups.push(async () => {
      await store.close();
      temp.remove();
    });
    const now = new Date().toISOString();
    await store.documents.create({ id: 'plan-t', type: 'plan', title, visibility: 'private', ownerOrganisationId: null, createdBy: null, createdAt: now, updatedAt: now });
    const doc = new Y.Doc();
    initDocument(doc, { kind: 'plan', title });
    return { store, doc };
  }

  const change = (extension: ReturnType<typeof createCatalogExtension>, doc: Y.Doc, seq: number) =>
    extension.change!({ documentId: 'plan-t', doc, update: new Uint8Array(), origin: { kind: 'server' }, seq });

  it('a renamed document reaches the catalogue after the debounce, once, and tells the listener', async () => {
    const { store, doc } = await catalogued('Klimatplan');
    const changed: string[] = [];
    const extension = createCatalogExtension(store, pino({ level: 'silent' }), { mirrorDelayMs: 20, onDocumentChanged: (record) => changed.push(record.title) });
    setTitle(doc, 'Klimatplan Luleå 2030');
    change(extension, doc, 1);
    setTitle(doc, 'Klimatplan för Luleå 2030');
    change(extension, doc, 2);
    await vi.waitFor(async () => expect((await store.documents.get('plan-t'))?.title).toBe('Klimatplan för Luleå 2030'), { timeout: 2000 });
    expect(changed).toEqual(['Klimatplan för Luleå 2030']);
  });

  it('edits that leave the mirrored title as it is set no timer', async () => {
    const { store, doc } = await catalogued('Klimatplan');
    const extension = createCatalogExtension(store, pino({ level: 'silent' }), { mirrorDelayMs: 20 });
    // The first change of a load looks the title up once (it may differ from the catalogue).
    change(extension, doc, 1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    vi.useFakeTimers();
    doc.getMap('board').set('note', 'Idé: cykelpool');
    for (let seq = 2; seq < 50; seq++) change(extension, doc, seq);
    expect(vi.getTimerCount()).toBe(0);
    // A rename still schedules its mirror.
    setTitle(doc, 'Klimatplan 2030');
    change(extension, doc, 50);
    expect(vi.getTimerCount()).toBe(1);
    await vi.runAllTimersAsync();
    vi.useRealTimers();
    await vi.waitFor(async () => expect((await store.documents.get('plan-t'))?.title).toBe('Klimatplan 2030'), { timeout: 2000 });
  });

  it('a title changed back while its rename is still being written ends up in the catalogue as the document has it', async () => {
    const { store, doc } = await catalogued('Klimatplan');
    // The catalogue's title writes wait until released: the rename to B is under way meanwhile.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const updateTitle = store.documents.updateTitle.bind(store.documents);
    const written: string[] = [];
    store.documents.updateTitle = async (...args) => {
      await gate;
      const done = await updateTitle(...args);
      written.push(args[1]);
      return done;
    };
    const extension = createCatalogExtension(store, pino({ level: 'silent' }), { mirrorDelayMs: 10 });
    change(extension, doc, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    setTitle(doc, 'Färdplan');
    change(extension, doc, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Back to the title the catalogue had before the rename, while the rename waits to be written.
    setTitle(doc, 'Klimatplan');
    change(extension, doc, 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    // The unload waits for the mirrors under way (the rename, then the change back).
    await extension.unload!({ documentId: 'plan-t', doc: () => doc });
    await vi.waitFor(() => expect(written).toContain('Färdplan'), { timeout: 2000 });
    expect(written).toEqual(['Färdplan', 'Klimatplan']);
    expect((await store.documents.get('plan-t'))?.title).toBe('Klimatplan');
  });
});
