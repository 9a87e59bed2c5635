import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeTempDir } from '../test/tempDir.js';
import { UnsavedWrites, decodeUnsaved, encodeUnsaved, recoverUnsaved } from './unsavedWrites.js';

const log = pino({ level: 'silent' });

/** Two updates of one document that build on each other. */
function edits(text: string[]): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const part of text) doc.getText('text').insert(doc.getText('text').length, part);
  return updates;
}

describe('writes kept aside by a process that must exit before they are durable', () => {
  const temps: { remove(): void }[] = [];
  afterEach(() => {
    for (const temp of temps.splice(0)) temp.remove();
  });
  const folder = (): string => {
    const temp = makeTempDir();
    temps.push(temp);
    return join(temp.path, 'unsaved');
  };

  it('round-trips documents and their updates, and refuses a file cut off or of another kind', () => {
    const documents = [
      { documentId: 'a', updates: edits(['Sol', 'celler']) },
      { documentId: 'b', updates: edits(['Vind']) },
    ];
    const bytes = encodeUnsaved(documents);
    expect(decodeUnsaved(bytes)).toEqual(documents);
    expect(() => decodeUnsaved(bytes.subarray(0, bytes.length - 2))).toThrow(/unreadable/);
    expect(() => decodeUnsaved(new TextEncoder().encode('hej'))).toThrow(/unreadable/);
  });

  it('keeps one file per process, rewritten in place, readable by its owner only, and removed when nothing is left', () => {
    const unsaved = new UnsavedWrites(folder());
    expect(unsaved.keep([])).toBeNull();
    const first = unsaved.keep([{ documentId: 'a', updates: edits(['x']) }]);
    const second = unsaved.keep([{ documentId: 'a', updates: edits(['x', 'y']) }, { documentId: 'b', updates: [] }]);
    expect(second).toEqual({ file: first?.file, documents: 1, writes: 2 });
    expect(readdirSync(unsaved.folder)).toHaveLength(1);
    expect(statSync(first?.file as string).mode & 0o077).toBe(0);
    // Another process's view: this one's file is left behind.
    expect(new UnsavedWrites(unsaved.folder).leftBehind()).toEqual([first?.file]);
    expect(unsaved.leftBehind()).toEqual([]);
    unsaved.discard();
    expect(existsSync(first?.file as string)).toBe(false);
  });

  it('stores each document merged, removes a file once stored, keeps what failed, and leaves an unreadable file alone', async () => {
    const dir = folder();
    const earlier = new UnsavedWrites(dir);
    const kept = earlier.keep([
      { documentId: 'a', updates: edits(['Sol', 'celler']) },
      { documentId: 'trasig', updates: edits(['kvar']) },
    ]);
    const broken = join(dir, '0-cut.unsaved');
    writeFileSync(broken, encodeUnsaved([{ documentId: 'c', updates: edits(['z']) }]).subarray(0, 10));

    const stored = new Map<string, Y.Doc>();
    const apply = async (documentId: string, update: Uint8Array): Promise<void> => {
      if (documentId === 'trasig') throw new Error('no such document');
      const doc = stored.get(documentId) ?? new Y.Doc();
      Y.applyUpdate(doc, update);
      stored.set(documentId, doc);
    };
    const result = await recoverUnsaved(new UnsavedWrites(dir), apply, log);
    expect(result).toEqual({ files: 0, documents: 1, writes: 2, failed: 1 });
    expect(stored.get('a')?.getText('text').toString()).toBe('Solceller');
    // The failed document stays for the next start; the stored one is gone from the file.
    expect(decodeUnsaved(readFileSync(kept?.file as string)).map((document) => document.documentId)).toEqual(['trasig']);
    expect(existsSync(broken)).toBe(true);

    const again = await recoverUnsaved(new UnsavedWrites(dir), async () => undefined, log);
    expect(again).toEqual({ files: 1, documents: 1, writes: 1, failed: 0 });
    expect(existsSync(kept?.file as string)).toBe(false);
    expect(existsSync(broken)).toBe(true);
  });

  it('finds nothing to do when the folder does not exist', async () => {
    expect(await recoverUnsaved(new UnsavedWrites(folder()), async () => undefined, log)).toEqual({ files: 0, documents: 0, writes: 0, failed: 0 });
  });
});
