import type { DocumentSummary, GroupSummary, OrganisationSummary, ShareSummary, UserSummary } from '@samverkan/protocol';
import type { AccessLevel } from '../access/accessPolicy.js';
import type { DocumentRecord, GroupRecord, OrganisationRecord, ShareRecord, UserRecord } from '../store/ports.js';

/** The API shape of a catalogue entry. */
export function presentDocument(record: DocumentRecord, access?: AccessLevel): DocumentSummary {
  return {
    id: record.id,
    type: record.type,
    title: record.title,
    visibility: record.visibility,
    ownerOrganisationId: record.ownerOrganisationId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(access && access !== 'none' ? { access } : {}),
  };
}

export function presentShare(share: ShareRecord): ShareSummary {
  return {
    id: share.id,
    documentId: share.documentId,
    principalType: share.principalType,
    principalId: share.principalId,
    role: share.role,
    createdAt: share.createdAt,
  };
}

/** A user as `viewer` may see them: e-mail and status only for admins and the user themself. */
export function presentUser(user: UserRecord, viewer: UserRecord | null): UserSummary {
  const full = viewer !== null && (viewer.role === 'admin' || viewer.id === user.id);
  return {
    id: user.id,
    name: user.name,
    organisationId: user.organisationId,
    role: user.role,
    ...(full ? { email: user.email, deactivated: user.deactivatedAt !== null, language: user.language } : {}),
  };
}

export function presentOrganisation(organisation: OrganisationRecord): OrganisationSummary {
  return { id: organisation.id, name: organisation.name, kind: organisation.kind };
}

export function presentGroup(group: GroupRecord): GroupSummary {
  return { id: group.id, name: group.name, kind: group.kind, organisationIds: group.organisationIds };
}
