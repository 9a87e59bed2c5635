import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeTempDir } from '../test/tempDir.js';
import { UnsavedWrites, Unstorable, decodeUnsaved, encodeUnsaved, recoverUnsaved } from './unsavedWrites.js';

const log = pino({ level: 'silent' });

/** Updates of one document, each building on the one before. */
function edits(text: string[]): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const part of text) doc.getText('text').insert(doc.getText('text').length, part);
  return updates;
}

/** Stores into in-memory documents; a document named `trasig` is unknown, one named `borta` does not answer. */
function memoryStore() {
  const stored = new Map<string, Y.Doc>();
  const calls: string[] = [];
  const apply = async (documentId: string, update: Uint8Array): Promise<void> => {
    calls.push(documentId);
    if (documentId === 'trasig') throw new Unstorable('unknown document');
    if (documentId === 'borta') throw new Error('store unavailable');
    const doc = stored.get(documentId) ?? new Y.Doc();
    Y.applyUpdate(doc, update);
    stored.set(documentId, doc);
  };
  const text = (documentId: string) => stored.get(documentId)?.getText('text').toString();
  return { apply, text, calls };
}

const ids = (file: string) => decodeUnsaved(readFileSync(file)).map((document) => document.documentId);

describe('writes kept aside by a process that must exit before they are durable', () => {
  let umask: number;
  beforeAll(() => {
    // The files' own rights are checked, not a strict umask of the machine.
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
  });
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

  it('keeps one file per process, rewritten in place, for the server user only, and removed when nothing is left', () => {
    const dir = folder();
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const unsaved = new UnsavedWrites(dir);
    expect(unsaved.keep([])).toBeNull();
    const first = unsaved.keep([{ documentId: 'a', updates: edits(['x']) }]);
    const second = unsaved.keep([{ documentId: 'a', updates: edits(['x', 'y']) }, { documentId: 'b', updates: [] }]);
    expect(second).toEqual({ file: first?.file, documents: 1, writes: 2 });
    expect(readdirSync(dir)).toHaveLength(1);
    expect(statSync(first?.file as string).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // Another process's view: this one's file is left behind.
    expect(new UnsavedWrites(dir).leftBehind()).toEqual([first?.file]);
    expect(unsaved.leftBehind()).toEqual([]);
    unsaved.discard();
    expect(existsSync(first?.file as string)).toBe(false);
  });

  it('keeps in the thread pool for the reminders: one at a time, a sync keep refused meanwhile, nothing left when discarded meanwhile', async () => {
    const dir = folder();
    const unsaved = new UnsavedWrites(dir);
    const documents = [{ documentId: 'a', updates: edits(['Sol', 'celler']) }];
    const first = unsaved.keepInBackground(documents);
    expect(unsaved.keepInBackground([])).toBe(first);
    expect(unsaved.busy).toBe(true);
    expect(() => unsaved.keep(documents)).toThrow(/still being written/);
    const kept = await first;
    expect(unsaved.busy).toBe(false);
    expect(kept?.writes).toBe(2);
    expect(statSync(kept?.file as string).mode & 0o777).toBe(0o600);
    expect(decodeUnsaved(readFileSync(kept?.file as string))).toEqual(documents);
    // The writes became durable while a keep was being written: no file for the next start.
    const late = unsaved.keepInBackground(documents);
    unsaved.discard();
    expect(await late).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    // A shutdown that completes while a reminder's keep is being written waits for it, then removes it.
    const during = unsaved.keepInBackground(documents);
    await unsaved.discardWhenIdle();
    expect((await during)?.writes).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the temporary files of keeps cut short once they are old, and knows of claims by others', () => {
    const dir = folder();
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.unsaved.tmp'), 'innehåll');
    writeFileSync(join(dir, 'y.unsaved'), encodeUnsaved([{ documentId: 'a', updates: edits(['z']) }]));
    new UnsavedWrites(dir).removeStaleTemporaries();
    expect(readdirSync(dir).sort()).toEqual(['x.unsaved.tmp', 'y.unsaved']); // may be another process's keep under way
    const expired = new UnsavedWrites(dir, -1);
    expired.removeStaleTemporaries();
    expect(readdirSync(dir)).toEqual(['y.unsaved']);
    expect(expired.othersClaim()).toBe(false);
    expired.claim(join(dir, 'y.unsaved'));
    expect(new UnsavedWrites(dir).othersClaim()).toBe(true);
  });

  it('stores each document merged and removes the file; what can never be stored is set aside; an unreadable file is left alone', async () => {
    const dir = folder();
    new UnsavedWrites(dir).keep([
      { documentId: 'a', updates: edits(['Sol', 'celler']) },
      { documentId: 'trasig', updates: edits(['kvar', 'här']) },
    ]);
    const broken = join(dir, '0-cut.unsaved');
    writeFileSync(broken, encodeUnsaved([{ documentId: 'c', updates: edits(['z']) }]).subarray(0, 10));

    const store = memoryStore();
    const result = await recoverUnsaved(new UnsavedWrites(dir), store.apply, log);
    expect(result).toEqual({ files: 1, documents: 1, writes: 2, failed: 1 });
    expect(store.text('a')).toBe('Solceller');
    // The refused merge was tried update by update (1 + 2 calls), then set aside for an operator.
    expect(store.calls.filter((id) => id === 'trasig')).toHaveLength(3);
    const aside = readdirSync(join(dir, 'failed'));
    expect(aside).toHaveLength(1);
    expect(ids(join(dir, 'failed', aside[0] as string))).toEqual(['trasig']);
    expect(decodeUnsaved(readFileSync(join(dir, 'failed', aside[0] as string)))[0]?.updates).toHaveLength(2);
    // Nothing of it is retried at the next start; the cut-off file stays as it is (claimed).
    expect(readdirSync(dir).filter((name) => name.endsWith('.unsaved'))).toEqual([]);
    expect(readdirSync(dir).some((name) => name.startsWith('0-cut.unsaved.claimed-'))).toBe(true);
    const again = memoryStore();
    expect(await recoverUnsaved(new UnsavedWrites(dir), again.apply, log)).toEqual({ files: 0, documents: 0, writes: 0, failed: 0 });
    expect(existsSync(broken)).toBe(false);
  });

  it('a store that does not answer: that document, the rest of its file and every later file wait for the next start, in order', async () => {
    const dir = folder();
    const older = new UnsavedWrites(dir).keep([
      { documentId: 'a', updates: edits(['Sol']) },
      { documentId: 'borta', updates: edits(['vänta']) },
      { documentId: 'b', updates: edits(['Vind']) },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later name
    const newer = new UnsavedWrites(dir).keep([{ documentId: 'c', updates: edits(['Vatten']) }]);
    const store = memoryStore();
    expect(await recoverUnsaved(new UnsavedWrites(dir), store.apply, log)).toEqual({ files: 0, documents: 1, writes: 1, failed: 1 });
    expect(store.calls).toEqual(['a', 'borta']);
    // Back under the first name, without what was stored.
    expect(ids(older?.file as string)).toEqual(['borta', 'b']);
    expect(ids(newer?.file as string)).toEqual(['c']);
    expect(new UnsavedWrites(dir).leftBehind()).toEqual([older?.file, newer?.file]);
  });

  it('a file is stored by one start only; its owner keeping again after the claim writes it anew; a claim whose claimer died is taken over', async () => {
    const dir = folder();
    const owner = new UnsavedWrites(dir);
    const [sol, celler] = edits(['Sol', 'celler']) as [Uint8Array, Uint8Array];
    const kept = owner.keep([{ documentId: 'a', updates: [sol] }]);
    const first = new UnsavedWrites(dir);
    const claimed = first.claim(kept?.file as string);
    expect(claimed).not.toBeNull();
    expect(new UnsavedWrites(dir).claim(kept?.file as string)).toBeNull();
    expect(new UnsavedWrites(dir).leftBehind()).toEqual([]);
    // The stopping owner keeps more: a new file, which nobody has claimed.
    owner.keep([{ documentId: 'a', updates: [sol, celler] }]);
    expect(new UnsavedWrites(dir).leftBehind()).toEqual([kept?.file]);
    // The claimer dies without storing: once its claim has expired, another start takes it over.
    const store = memoryStore();
    await recoverUnsaved(new UnsavedWrites(dir, -1), store.apply, log);
    expect(store.calls).toEqual(['a', 'a']);
    expect(store.text('a')).toBe('Solceller');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finds nothing to do when the folder does not exist', async () => {
    expect(await recoverUnsaved(new UnsavedWrites(folder()), memoryStore().apply, log)).toEqual({ files: 0, documents: 0, writes: 0, failed: 0 });
  });
});
