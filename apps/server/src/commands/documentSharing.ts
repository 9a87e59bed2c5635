import type { CreateShareRequest, Visibility } from '@samverkan/protocol';
import { newId } from '../access/tokens.js';
import type { EventBus } from '../bus/EventBus.js';
import type { DocumentRecord, ShareRecord, Store } from '../store/ports.js';
import { audit } from './accountDeps.js';
import { CommandError } from './CommandError.js';

/** What the sharing commands need. */
export interface SharingDeps {
  store: Store;
  bus: EventBus;
}

/** Shares a document with a user, an organisation or a group (an existing share changes role). */
export async function shareCreator(deps: SharingDeps, actorId: string, document: DocumentRecord, input: CreateShareRequest): Promise<ShareRecord> {
  const [principalType, principalId] =
    'userId' in input ? (['user', input.userId] as const) : 'organisationId' in input ? (['organisation', input.organisationId] as const) : (['group', input.groupId] as const);
  const exists =
    principalType === 'user'
      ? await deps.store.accounts.getUser(principalId)
      : principalType === 'organisation'
        ? await deps.store.accounts.getOrganisation(principalId)
        : await deps.store.accounts.getGroup(principalId);
  if (!exists) throw new CommandError('validation', `${principalType}Id: Finns inte. / Does not exist.`);
  const share = await deps.store.shares.upsert({
    id: newId(),
    documentId: document.id,
    principalType,
    principalId,
    role: input.role,
    createdBy: actorId,
    createdAt: new Date().toISOString(),
  });
  await audit(deps.store, actorId, 'share.create', share.id);
  deps.bus.publish({ type: 'document.access_changed', documentId: document.id });
  return share;
}

/** Removes a share; the people who lose access are disconnected from the document. */
export async function shareRemover(deps: SharingDeps, actorId: string, document: DocumentRecord, shareId: string): Promise<void> {
  if (!(await deps.store.shares.delete(document.id, shareId))) throw new CommandError('not_found', 'Delningen finns inte. / No such share.');
  await audit(deps.store, actorId, 'share.remove', shareId);
  deps.bus.publish({ type: 'document.access_changed', documentId: document.id });
}

/** Changes who can see a document by default: private, a group, or the whole network. */
export async function visibilityChanger(deps: SharingDeps, actorId: string, document: DocumentRecord, visibility: Visibility): Promise<DocumentRecord> {
  if (visibility.startsWith('group:') && !(await deps.store.accounts.getGroup(visibility.slice('group:'.length)))) {
    throw new CommandError('validation', 'visibility: Gruppen finns inte. / No such group.');
  }
  const updatedAt = new Date().toISOString();
  await deps.store.documents.setVisibility(document.id, visibility, updatedAt);
  await audit(deps.store, actorId, 'document.visibility', document.id);
  deps.bus.publish({ type: 'document.access_changed', documentId: document.id });
  return { ...document, visibility, updatedAt };
}

/** Moves a document to the trash (a later issue restores); everyone is disconnected from it. */
export async function documentTrasher(deps: SharingDeps, actorId: string, document: DocumentRecord): Promise<void> {
  if (!(await deps.store.documents.moveToTrash(document.id, new Date().toISOString()))) {
    throw new CommandError('not_found', 'Dokumentet finns inte. / No such document.');
  }
  await audit(deps.store, actorId, 'document.trash', document.id);
  deps.bus.publish({ type: 'document.access_changed', documentId: document.id });
}
