import pino from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Store } from '../../store/ports.js';
import { createPersistenceExtension } from './persistence.js';

describe('persistence extension', () => {
  it('compacts a batch whose updates share one seq once, not in a loop', async () => {
    const compactions: number[] = [];
    const store = {
      updates: {
        appendUpdates: (_documentId: string, updates: Uint8Array[]) => Promise.resolve(updates.map(() => 5)),
        loadDocument: () => Promise.resolve({ snapshot: null, snapshotSeq: 0, updates: [] }),
        compact: () => Promise.resolve(false),
        // Written the first time; refused afterwards (a snapshot covering seq 5 exists).
        compactInStore: (_documentId: string, upToSeq: number) => {
          compactions.push(upToSeq);
          return Promise.resolve(compactions.length === 1);
        },
        flush: () => Promise.resolve(),
      },
    } as unknown as Store;
    const extension = createPersistenceExtension(store, pino({ level: 'silent' }), { compactAfterUpdates: 3 });
    const doc = new Y.Doc();
    await extension.load!({ documentId: 'd', doc });
    // Ten updates committed in one row (seq 5) are applied one after another.
    for (let index = 0; index < 10; index++) {
      extension.change!({ documentId: 'd', doc, update: new Uint8Array([0, 0]), origin: { kind: 'server' }, seq: 5 });
    }
    for (let tick = 0; tick < 20; tick++) await new Promise((resolve) => setImmediate(resolve));
    expect(compactions).toEqual([5]);
    // A later seq compacts again.
    for (let index = 0; index < 3; index++) {
      extension.change!({ documentId: 'd', doc, update: new Uint8Array([0, 0]), origin: { kind: 'server' }, seq: 6 });
    }
    for (let tick = 0; tick < 20; tick++) await new Promise((resolve) => setImmediate(resolve));
    expect(compactions).toEqual([5, 6]);
  });
});
