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
  // The title the document has when the catalogue is written: a retry that comes late must not
  // put back a name the document was renamed from meanwhile.
  await untilStored(deps.store, async () => {
    await deps.store.documents.updateTitle(record.id, await deps.documents.readDocument(record.id, getTitle), updatedAt);
  });
  await auditUntilStored(deps.store, actorId, 'document.rename', record.id);
  return { ...record, title, updatedAt };
}
