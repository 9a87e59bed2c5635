import { randomBytes } from 'node:crypto';
import { applyTemplate } from '@samverkan/model';
import type { CreateDocumentRequest } from '@samverkan/protocol';
import type { DocumentChanger, DocumentRecord, Store } from '../store/ports.js';
import { auditUntilStored } from './untilStored.js';

/** Dependencies of the document commands. */
export interface DocumentCommandDeps {
  store: Store;
  documents: DocumentChanger;
}

/** A new URL-safe document id (96 random bits). */
export function newDocumentId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Creates a document: the catalogue entry (type, owner and visibility live only there), then
 * the initial Yjs content (schema version, kind, title and the template of its kind in the
 * creator's language) through `applyServerChange`. Once that is stored, the audit entry waits out a
 * store that does not answer (see untilStored).
 */
export async function documentCreator(
  deps: DocumentCommandDeps,
  actor: { userId: string; organisationId: string; language?: 'sv' | 'en' },
  input: CreateDocumentRequest,
): Promise<DocumentRecord> {
  const now = new Date().toISOString();
  const record = await deps.store.documents.create({
    id: newDocumentId(),
    type: input.type,
    title: input.title,
    visibility: input.visibility ?? 'private',
    ownerOrganisationId: actor.organisationId,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  await deps.documents.applyServerChange(record.id, (doc) =>
    applyTemplate(doc, { kind: input.type, title: input.title, language: actor.language ?? 'sv' }),
  );
  await auditUntilStored(deps.store, actor.userId, 'document.create', record.id);
  return record;
}
