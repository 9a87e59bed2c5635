import { setTitle } from '@samverkan/model';
import type { DocumentRecord } from '../store/ports.js';
import { audit } from './accountDeps.js';
import type { DocumentCommandDeps } from './documentCreator.js';
import { untilStored } from './untilStored.js';

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
  await untilStored(() => deps.store.documents.updateTitle(record.id, title, updatedAt));
  await untilStored(() => audit(deps.store, actorId, 'document.rename', record.id));
  return { ...record, title, updatedAt };
}
