import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import * as Y from 'yjs';

/** The received updates of one document that were not durable yet, in the order received. */
export interface UnsavedDocument {
  documentId: string;
  updates: Uint8Array[];
}

/** What {@link UnsavedWrites.keep} wrote. */
export interface KeptWrites {
  file: string;
  documents: number;
  writes: number;
}

/** What {@link recoverUnsaved} did. */
export interface RecoveredWrites {
  /** Files read to the end (and removed, or what is left of them handed back). */
  files: number;
  /** Documents whose kept updates are stored now. */
  documents: number;
  /** Updates stored (before merging per document). */
  writes: number;
  /** Documents some of whose updates could not be stored (kept for the next start, or set aside). */
  failed: number;
}

const MAGIC = 'samverkan-unsaved-writes-1';
const END = 'end';
const SUFFIX = '.unsaved';
/** A claimed file untouched this long is taken over by another start (its claimer died while storing it). */
export const CLAIM_EXPIRES_MS = 60_000;
/** Why a keep cannot start: the previous one has not finished. */
export const KEEP_BUSY = 'the previous keep is still being written (the disk does not answer)';
/** A keep's file before it is renamed into place. */
const TEMPORARY = `${SUFFIX}.tmp`;
/** Between a file's name and its claimer's token, once a start has claimed it. */
const CLAIMED = '.unsaved.claimed-';

/** Encodes kept updates: a header, the documents, an end mark (a cut-off file is recognised). */
export function encodeUnsaved(documents: readonly UnsavedDocument[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, MAGIC);
  encoding.writeVarUint(encoder, documents.length);
  for (const document of documents) {
    encoding.writeVarString(encoder, document.documentId);
    encoding.writeVarUint(encoder, document.updates.length);
    for (const update of document.updates) encoding.writeVarUint8Array(encoder, update);
  }
  encoding.writeVarString(encoder, END);
  return encoding.toUint8Array(encoder);
}

/** Decodes {@link encodeUnsaved}'s bytes; throws on anything else, or on a file cut off. */
export function decodeUnsaved(bytes: Uint8Array): UnsavedDocument[] {
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarString(decoder) !== MAGIC) throw new Error('not a file of unsaved writes');
    const documents: UnsavedDocument[] = [];
    for (let count = decoding.readVarUint(decoder); count > 0; count--) {
      const documentId = decoding.readVarString(decoder);
      const updates: Uint8Array[] = [];
      for (let writes = decoding.readVarUint(decoder); writes > 0; writes--) updates.push(decoding.readVarUint8Array(decoder));
      documents.push({ documentId, updates });
    }
    if (decoding.readVarString(decoder) !== END || decoding.hasContent(decoder)) throw new Error('cut off');
    return documents;
  } catch (error) {
    throw new Error(`unreadable file of unsaved writes: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Writes `bytes` to `file` so that a crash leaves either the old file or the new one, on disk. */
function writeDurably(file: string, bytes: Uint8Array): void {
  const temporary = `${file}.tmp`;
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      // Every byte or an error (a short write on a filling disk is continued, then fails).
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    // Not left to hold space the store needs to recover.
    rmSync(temporary, { force: true });
    throw error;
  }
  const folder = openSync(dirname(file), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

/** {@link writeDurably} in the thread pool: a disk that does not answer leaves the event loop free. */
async function writeDurablyInBackground(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** A file's path without `.unsaved` or its claim. */
const baseOf = (file: string): string => (file.includes(CLAIMED) ? (file.split(CLAIMED)[0] as string) : file.slice(0, -SUFFIX.length));

/** A file name that sorts by time and is unique across processes and containers (whose pids repeat). */
const fileName = (): string => `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;

/** The reason an update kept aside can never be stored (its document is unknown, or the update is refused). */
export class Unstorable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Unstorable';
  }
}

/**
 * Received updates that a process has to leave without making durable (its store does not
 * take them and it is told to stop anyway) are written to a file of its own in `folder`; the
 * next start stores them ({@link recoverUnsaved}). The files hold document content: they and
 * their folder are for the server's user only, and nothing of them is logged but counts, file
 * names and document ids. Several processes may share the folder (MongoDB instances with one
 * volume): a file is claimed by renaming it before it is read.
 */
export class UnsavedWrites {
  private file: string | null = null;
  /** A {@link keepInBackground} still under way. */
  private keeping: Promise<KeptWrites | null> | null = null;

  constructor(
    readonly folder: string,
    /** A claimed file untouched this long is taken over (its claimer died while storing it). */
    readonly claimExpiresMs = CLAIM_EXPIRES_MS,
  ) {}

  /**
   * Writes (or rewrites) this process's file with `documents`; removes it when there is
   * nothing to keep. Synchronous: it runs right before the process exits. A file another
   * process claimed meanwhile is not touched: the next keep writes a new one.
   */
  keep(documents: readonly UnsavedDocument[]): KeptWrites | null {
    if (this.keeping) throw new Error(KEEP_BUSY);
    const keeping = this.toKeep(documents);
    if (!keeping) return null;
    this.makeFolder(this.folder);
    writeDurably(keeping.kept.file, keeping.bytes);
    return keeping.kept;
  }

  /**
   * {@link keep} in the thread pool, for the reminders of a waiting shutdown: a disk that does
   * not answer must not stop the process from taking the next signal. One at a time: while one
   * is under way, the next call gets it.
   */
  keepInBackground(documents: readonly UnsavedDocument[]): Promise<KeptWrites | null> {
    this.keeping ??= this.writeInBackground(documents).finally(() => {
      this.keeping = null;
    });
    return this.keeping;
  }

  /** Whether a {@link keepInBackground} is under way (a sync {@link keep} would be refused). */
  get busy(): boolean {
    return this.keeping !== null;
  }

  private async writeInBackground(documents: readonly UnsavedDocument[]): Promise<KeptWrites | null> {
    // Named before the first wait, so that a discard meanwhile is seen.
    const keeping = this.toKeep(documents);
    if (!keeping) return null;
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await chmod(this.folder, 0o700);
    await writeDurablyInBackground(keeping.kept.file, keeping.bytes);
    if (this.file !== keeping.kept.file) {
      // Discarded meanwhile (the writes became durable): no file for the next start.
      await rm(keeping.kept.file, { force: true });
      return null;
    }
    return keeping.kept;
  }

  /**
   * What a keep writes, and where: this process's file (named at its first keep) with the
   * documents that have updates; null (and the file removed) when there are none.
   */
  private toKeep(documents: readonly UnsavedDocument[]): { kept: KeptWrites; bytes: Uint8Array } | null {
    const kept = documents.filter((document) => document.updates.length > 0);
    if (kept.length === 0) {
      this.discard();
      return null;
    }
    this.file ??= join(this.folder, `${fileName()}${SUFFIX}`);
    const writes = kept.reduce((sum, document) => sum + document.updates.length, 0);
    return { kept: { file: this.file, documents: kept.length, writes }, bytes: encodeUnsaved(kept) };
  }

  /** {@link discard} once a background keep under way has finished (its file would outlive the discard). */
  async discardWhenIdle(): Promise<void> {
    await this.keeping?.catch(() => undefined);
    this.discard();
  }

  /**
   * Claims of other processes, not expired yet: a start that finds some looks again once they
   * may have expired (their claimer may have died while storing them).
   */
  othersClaim(): boolean {
    return this.names().some((name) => name.includes(CLAIMED));
  }

  /** Removes temporary files of keeps cut short (a process that died while writing one); they hold content. */
  removeStaleTemporaries(): void {
    for (const name of this.names()) {
      const file = join(this.folder, name);
      if (name.endsWith(TEMPORARY) && Date.now() - this.modifiedAt(file) > this.claimExpiresMs) rmSync(file, { force: true });
    }
  }

  /** Refreshes a claim, so that no other start takes it over while it is being stored. */
  touch(claimed: string): void {
    const now = new Date();
    try {
      utimesSync(claimed, now, now);
    } catch {
      // Gone: nothing to refresh.
    }
  }

  private names(): string[] {
    try {
      return readdirSync(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Removes this process's file (everything in it became durable after all). */
  discard(): void {
    if (this.file) rmSync(this.file, { force: true });
    this.file = null;
  }

  /** Files left by other processes (and claims that expired), oldest first. */
  leftBehind(): string[] {
    const names = this.names();
    const own = this.file ? basename(this.file) : null;
    return names
      .filter((name) => name !== own && (name.endsWith(SUFFIX) || (name.includes(CLAIMED) && Date.now() - this.modifiedAt(join(this.folder, name)) > this.claimExpiresMs)))
      .sort()
      .map((name) => join(this.folder, name));
  }

  /**
   * Claims a file of {@link leftBehind} by renaming it to a name of this process's, so that no
   * other start stores it at the same time; null when another process was first.
   */
  claim(file: string): string | null {
    const claimed = `${baseOf(file)}${CLAIMED}${randomUUID().slice(0, 8)}`;
    try {
      renameSync(file, claimed);
      const now = new Date();
      utimesSync(claimed, now, now);
      return claimed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /**
   * Hands the documents still to be stored back under the file's first name (so that it keeps
   * its place among the files, oldest first) and drops the claimed file.
   */
  release(claimed: string, left: readonly UnsavedDocument[]): void {
    if (left.length > 0) writeDurably(`${baseOf(claimed)}${SUFFIX}`, encodeUnsaved(left));
    rmSync(claimed, { force: true });
  }

  /** Sets documents that can never be stored aside in `failed/` for an operator; returns the file. */
  setAside(documents: readonly UnsavedDocument[]): string {
    const folder = join(this.folder, 'failed');
    this.makeFolder(folder);
    const file = join(folder, `${fileName()}${SUFFIX}`);
    writeDurably(file, encodeUnsaved(documents));
    return file;
  }

  private makeFolder(folder: string): void {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // A folder made earlier with wider rights: the file names are for the server's user only too.
    chmodSync(folder, 0o700);
  }

  private modifiedAt(file: string): number {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return Date.now();
    }
  }
}

/**
 * Stores the updates earlier processes kept aside, oldest file first, each document's updates
 * merged into one change made as the server (`apply` resolves once it is durable; it throws
 * {@link Unstorable} for a document or update that can never be stored). A refused merge is
 * tried update by update. What can never be stored is set aside in `failed/` (logged as an
 * error); what fails for another reason (the store does not answer, the server is stopping)
 * goes back for the next start; a file that cannot be read is left alone for an operator.
 */
export async function recoverUnsaved(
  unsaved: UnsavedWrites,
  apply: (documentId: string, update: Uint8Array) => Promise<void>,
  log: Logger,
): Promise<RecoveredWrites> {
  const result: RecoveredWrites = { files: 0, documents: 0, writes: 0, failed: 0 };
  files: for (const file of unsaved.leftBehind()) {
    const claimed = unsaved.claim(file);
    if (!claimed) continue;
    let documents: UnsavedDocument[];
    try {
      documents = decodeUnsaved(readFileSync(claimed));
    } catch (error) {
      log.error({ file: claimed, reason: reasonOf(error) }, 'a file of unsaved writes cannot be read; it is left as it is');
      continue;
    }
    const unstorable: UnsavedDocument[] = [];
    for (const [index, document] of documents.entries()) {
      const outcome = await storeDocument(document, apply);
      unsaved.touch(claimed);
      result.writes += outcome.stored;
      if (outcome.stored > 0) result.documents++;
      if (outcome.unstorable.length > 0) {
        unstorable.push({ documentId: document.documentId, updates: outcome.unstorable });
        result.failed++;
      }
      if (outcome.left.length > 0) {
        // The store does not answer, or the server is stopping: this and every later file wait
        // for the next start, in their order (a later update may build on one not stored yet).
        result.failed++;
        log.warn({ file, documentId: document.documentId, reason: outcome.reason }, 'unsaved writes could not be stored; they are kept for the next start');
        setAside(unsaved, unstorable, log);
        unsaved.release(claimed, [{ documentId: document.documentId, updates: outcome.left }, ...documents.slice(index + 1)]);
        break files;
      }
    }
    setAside(unsaved, unstorable, log);
    unsaved.release(claimed, []);
    result.files++;
  }
  if (result.writes > 0) log.info(result, 'stored the writes an earlier process had to leave unsaved');
  return result;
}

/** A recovery that runs in the background (see {@link startRecovery}). */
export interface Recovery {
  /** Settles once the first pass, at start, is done. */
  readonly first: Promise<RecoveredWrites>;
  /** No further pass; resolves once the one under way has ended (call after the sync core refuses changes). */
  stop(): Promise<void>;
}

/**
 * Runs {@link recoverUnsaved} at start, in the background (a store that does not answer yet
 * must not hold up the start); then removes temporary files of keeps cut short, and, when other
 * starts' claims were seen, looks again once they may have expired (their claimer may have died
 * while storing them).
 */
export function startRecovery(unsaved: UnsavedWrites, apply: (documentId: string, update: Uint8Array) => Promise<void>, log: Logger): Recovery {
  const failed = (error: unknown): void => log.error({ reason: reasonOf(error) }, 'storing the writes an earlier process kept aside failed');
  const first = recoverUnsaved(unsaved, apply, log);
  let running: Promise<unknown> = first;
  let lookAgain: NodeJS.Timeout | null = null;
  first
    .then(() => {
      unsaved.removeStaleTemporaries();
      if (!unsaved.othersClaim()) return;
      lookAgain = setTimeout(() => {
        running = recoverUnsaved(unsaved, apply, log).catch(failed);
      }, unsaved.claimExpiresMs + 1000);
      lookAgain.unref();
    })
    .catch(failed);
  return {
    first,
    async stop() {
      if (lookAgain) clearTimeout(lookAgain);
      await running.catch(() => undefined);
    },
  };
}

/** Sets what can never be stored aside for an operator, and says so. */
function setAside(unsaved: UnsavedWrites, documents: readonly UnsavedDocument[], log: Logger): void {
  if (documents.length === 0) return;
  log.error(
    { file: unsaved.setAside(documents), documents: documents.map((document) => document.documentId) },
    'unsaved writes that can never be stored (unknown document or refused update) were set aside',
  );
}

/** Stores one document's kept updates: merged, or one by one when the merge is refused. */
async function storeDocument(
  document: UnsavedDocument,
  apply: (documentId: string, update: Uint8Array) => Promise<void>,
): Promise<{ stored: number; unstorable: Uint8Array[]; left: Uint8Array[]; reason?: string }> {
  const { documentId, updates } = document;
  try {
    await apply(documentId, updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates));
    return { stored: updates.length, unstorable: [], left: [] };
  } catch (error) {
    if (!(error instanceof Unstorable)) return { stored: 0, unstorable: [], left: updates, reason: reasonOf(error) };
    if (updates.length === 1) return { stored: 0, unstorable: updates, left: [] };
  }
  const outcome = { stored: 0, unstorable: [] as Uint8Array[], left: [] as Uint8Array[], reason: undefined as string | undefined };
  for (const [index, update] of updates.entries()) {
    try {
      await apply(documentId, update);
      outcome.stored++;
    } catch (error) {
      if (error instanceof Unstorable) {
        outcome.unstorable.push(update);
        continue;
      }
      outcome.left = updates.slice(index);
      outcome.reason = reasonOf(error);
      break;
    }
  }
  return outcome;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
