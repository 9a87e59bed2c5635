import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
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
  /** Files read to the end and removed. */
  files: number;
  /** Documents whose kept updates are stored now. */
  documents: number;
  /** Updates stored (before merging per document). */
  writes: number;
  /** Documents whose updates could not be stored (kept for the next start). */
  failed: number;
}

const MAGIC = 'samverkan-unsaved-writes-1';
const END = 'end';
const SUFFIX = '.unsaved';

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
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  const folder = openSync(join(file, '..'), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

/**
 * Received updates that a process has to leave without making durable (its store does not
 * take them and it is told to stop anyway) are written to a file of its own in `folder`; the
 * next start stores them ({@link recoverUnsaved}). The files hold document content: they are
 * readable by the server's user only, and nothing of them is logged but counts and names.
 */
export class UnsavedWrites {
  private file: string | null = null;

  constructor(readonly folder: string) {}

  /**
   * Writes (or rewrites) this process's file with `documents`; removes it when there is
   * nothing to keep. Synchronous: it runs right before the process exits.
   */
  keep(documents: readonly UnsavedDocument[]): KeptWrites | null {
    const kept = documents.filter((document) => document.updates.length > 0);
    if (kept.length === 0) {
      this.discard();
      return null;
    }
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    this.file ??= join(this.folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}${SUFFIX}`);
    writeDurably(this.file, encodeUnsaved(kept));
    return { file: this.file, documents: kept.length, writes: kept.reduce((sum, document) => sum + document.updates.length, 0) };
  }

  /** Removes this process's file (everything in it became durable after all). */
  discard(): void {
    if (this.file) rmSync(this.file, { force: true });
    this.file = null;
  }

  /** Files left by earlier processes, oldest first. */
  leftBehind(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((name) => name.endsWith(SUFFIX))
      .sort()
      .map((name) => join(this.folder, name))
      .filter((file) => file !== this.file);
  }

  /** Replaces a file's content by the documents that are still to be stored. */
  rewrite(file: string, documents: readonly UnsavedDocument[]): void {
    writeDurably(file, encodeUnsaved(documents));
  }
}

/**
 * Stores the updates earlier processes kept aside, oldest file first, each document's updates
 * merged into one change made as the server (`apply` resolves once it is durable). A file is
 * removed once everything in it is stored; what could not be stored stays in it for the next
 * start, and a file that cannot be read is left alone for an operator.
 */
export async function recoverUnsaved(
  unsaved: UnsavedWrites,
  apply: (documentId: string, update: Uint8Array) => Promise<void>,
  log: Logger,
): Promise<RecoveredWrites> {
  const result: RecoveredWrites = { files: 0, documents: 0, writes: 0, failed: 0 };
  for (const file of unsaved.leftBehind()) {
    let documents: UnsavedDocument[];
    try {
      documents = decodeUnsaved(readFileSync(file));
    } catch (error) {
      log.error({ file, reason: error instanceof Error ? error.message : String(error) }, 'a file of unsaved writes cannot be read; it is left as it is');
      continue;
    }
    const left: UnsavedDocument[] = [];
    for (const document of documents) {
      try {
        const update = document.updates.length === 1 ? (document.updates[0] as Uint8Array) : Y.mergeUpdates(document.updates);
        await apply(document.documentId, update);
        result.documents++;
        result.writes += document.updates.length;
      } catch (error) {
        left.push(document);
        result.failed++;
        log.warn(
          { file, documentId: document.documentId, reason: error instanceof Error ? error.message : String(error) },
          'unsaved writes of a document could not be stored; they are kept for the next start',
        );
      }
    }
    if (left.length === 0) {
      rmSync(file, { force: true });
      result.files++;
    } else {
      unsaved.rewrite(file, left);
    }
  }
  if (result.writes > 0) log.info(result, 'stored the writes an earlier process had to leave unsaved');
  return result;
}
