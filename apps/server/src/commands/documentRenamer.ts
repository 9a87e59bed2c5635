import { getTitle, setTitle } from '@samverkan/model';
import type { DocumentRecord } from '../store/ports.js';
import type { DocumentCommandDeps } from './documentCreator.js';
import { auditUntilStored, untilStored } from './untilStored.js';

/**
 * Renames a document: the title lives in the Yjs document (changed through
 * `applyServerChange`, so open editors see it live) and is mirrored into the catalogue. Once the
 * title is stored, its mirror and audit entry wait out a store that does not answer (see untilStored).
 */
export async function documentRenamer(
  deps: DocumentCommandDeps,
  actorId: string,
  record: DocumentRecord,
  title: string,
): Promise<DocumentRecord> {
  await deps.documents.applyServerChange(record.id, (doc) => setTitle(doc, title));
  const updatedAt = new Date().toISOString();
  // A retry writes the title the document has then: one that comes late must not put back a
  // name the document was renamed from meanwhile (the first attempt follows the change at once,
  // without loading the document again).
  await untilStored(deps.store, async (attempt) => {
    await deps.store.documents.updateTitle(record.id, attempt === 0 ? title : await deps.documents.readDocument(record.id, getTitle), updatedAt);
  });
  await auditUntilStored(deps.store, actorId, 'document.rename', record.id);
  return { ...record, title, updatedAt };
}
