import type { DocumentRecord, GroupRecord, NetworkRole, ShareRecord, ShareRole, Store } from '../store/ports.js';

/** Access levels, weakest first. */
export const ACCESS_LEVELS = ['none', 'read', 'comment', 'edit', 'manage'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Whether `level` includes `required`. */
export function allows(level: AccessLevel, required: AccessLevel): boolean {
  return ACCESS_LEVELS.indexOf(level) >= ACCESS_LEVELS.indexOf(required);
}

function stronger(a: AccessLevel, b: AccessLevel): AccessLevel {
  return ACCESS_LEVELS.indexOf(a) >= ACCESS_LEVELS.indexOf(b) ? a : b;
}

const shareLevel: Record<ShareRole, AccessLevel> = { viewer: 'read', commenter: 'comment', editor: 'edit' };

/** What the policy needs to know about the caller. */
export interface Principal {
  userId: string;
  organisationId: string;
  role: NetworkRole;
  /** Groups the caller's organisation is in. */
  groupIds: string[];
}

/**
 * The access matrix (issue 7), in one pure function. Owner organisation, visibility and shares
 * come from the relational store only, never from the Yjs document.
 *
 * - members of the owner organisation (coordinators and admins) and the creator: manage;
 * - `group:G`: every user whose organisation is in G (guests included): comment;
 * - `network`: every non-guest user: comment; guests: nothing;
 * - admins get no implicit access to other organisations' content;
 * - explicit shares (to the user, their organisation or one of its groups) raise the level to
 *   the share's role; the result is the strongest of all.
 */
export function accessLevel(principal: Principal | null, document: DocumentRecord, shares: readonly ShareRecord[]): AccessLevel {
  if (!principal || document.deletedAt) return 'none';
  let level: AccessLevel = 'none';
  if (document.ownerOrganisationId === principal.organisationId || document.createdBy === principal.userId) {
    level = 'manage';
  } else if (document.visibility === 'network') {
    if (principal.role !== 'guest') level = 'comment';
  } else if (document.visibility.startsWith('group:')) {
    if (principal.groupIds.includes(document.visibility.slice('group:'.length))) level = 'comment';
  }
  for (const share of shares) {
    if (share.documentId !== document.id) continue;
    const applies =
      (share.principalType === 'user' && share.principalId === principal.userId) ||
      (share.principalType === 'organisation' && share.principalId === principal.organisationId) ||
      (share.principalType === 'group' && principal.groupIds.includes(share.principalId));
    if (applies) level = stronger(level, shareLevel[share.role]);
  }
  return level;
}

/** The access module every channel asks (REST, Yjs socket, socket.io, listings; later search, export, comments). */
export class Access {
  constructor(readonly store: Store) {}

  /** The caller as the policy sees them, or null for a missing or deactivated user. */
  async principalOf(userId: string, groups?: readonly GroupRecord[]): Promise<Principal | null> {
    const user = await this.store.accounts.getUser(userId);
    if (!user || user.deactivatedAt) return null;
    const allGroups = groups ?? (await this.store.accounts.listGroups());
    return {
      userId: user.id,
      organisationId: user.organisationId,
      role: user.role,
      groupIds: allGroups.filter((group) => group.organisationIds.includes(user.organisationId)).map((group) => group.id),
    };
  }

  /**
   * Several users' levels on one document, reading the document, its shares and the groups
   * once (for re-checking every open socket after an access change).
   */
  async levelsOn(documentId: string, userIds: Iterable<string>): Promise<{ document: DocumentRecord | null; levels: Map<string, AccessLevel> }> {
    const [document, shares, groups] = await Promise.all([
      this.store.documents.get(documentId),
      this.store.shares.listForDocument(documentId),
      this.store.accounts.listGroups(),
    ]);
    const levels = new Map<string, AccessLevel>();
    for (const userId of new Set(userIds)) {
      levels.set(userId, document ? accessLevel(await this.principalOf(userId, groups), document, shares) : 'none');
    }
    return { document, levels };
  }

  /** The caller's level on one document ('none' for unknown or trashed documents). */
  async accessLevel(principal: Principal | null, documentId: string): Promise<{ level: AccessLevel; document: DocumentRecord | null }> {
    const document = await this.store.documents.get(documentId);
    if (!principal || !document) return { level: 'none', document };
    const shares = await this.store.shares.listForDocument(documentId);
    return { level: accessLevel(principal, document, shares), document };
  }

  /** Every document the caller may read, with their level, most recently updated first. */
  async readableDocuments(principal: Principal | null): Promise<{ document: DocumentRecord; level: AccessLevel }[]> {
    if (!principal) return [];
    const [documents, shares] = await Promise.all([this.store.documents.list(), this.store.shares.listForPrincipals(principal)]);
    return documents
      .map((document) => ({ document, level: accessLevel(principal, document, shares) }))
      .filter((entry) => entry.level !== 'none');
  }
}
