import type Database from 'better-sqlite3';
import type {
  AdoptionRecord,
  AdoptionRepository,
  AccountsRepository,
  AuditLog,
  GroupRecord,
  InvitationRecord,
  NetworkRecord,
  OrganisationRecord,
  SessionRecord,
  SessionRepository,
  ShareRecord,
  ShareRepository,
  UserRecord,
} from '../ports.js';
import { StoreConflict } from '../ports.js';
import type { WriteResult, WriteStatement } from './writerProtocol.js';

/** Runs statements in one transaction in the writer worker. */
export type WriteFn = (statements: WriteStatement[]) => Promise<WriteResult[]>;

interface UserRow {
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  role: UserRecord['role'];
  language: UserRecord['language'];
  password_hash: string;
  created_at: string;
  deactivated_at: string | null;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  email: row.email,
  name: row.name,
  role: row.role,
  language: row.language,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  deactivatedAt: row.deactivated_at,
});

interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationRecord['kind'];
  created_at: string;
}

const toOrganisation = (row: OrganisationRow): OrganisationRecord => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  createdAt: row.created_at,
});

interface InvitationRow {
  token_hash: string;
  email: string;
  organisation_id: string;
  role: InvitationRecord['role'];
  invited_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

const toInvitation = (row: InvitationRow): InvitationRecord => ({
  tokenHash: row.token_hash,
  email: row.email,
  organisationId: row.organisation_id,
  role: row.role,
  invitedBy: row.invited_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function isExpectationFailure(error: unknown): boolean {
  return (error as { code?: string }).code === 'SAMVERKAN_EXPECTATION';
}

function insertUser(user: UserRecord): WriteStatement {
  return {
    sql: `INSERT INTO users (id, organisation_id, email, name, role, language, password_hash, created_at, deactivated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    params: [user.id, user.organisationId, user.email, user.name, user.role, user.language, user.passwordHash, user.createdAt, user.deactivatedAt],
  };
}

/** Organisation names are unique regardless of case, Swedish letters included. */
export function organisationNameKey(name: string): string {
  return name.trim().toLocaleLowerCase('sv');
}

function insertOrganisation(organisation: OrganisationRecord): WriteStatement {
  return {
    sql: 'INSERT INTO organisations (id, name, name_key, kind, created_at) VALUES (?, ?, ?, ?, ?)',
    params: [organisation.id, organisation.name, organisationNameKey(organisation.name), organisation.kind, organisation.createdAt],
  };
}

/** Accounts on SQLite: reads on the main-thread connection, writes through the writer worker. */
export function createSqliteAccounts(db: Database.Database, write: WriteFn): AccountsRepository {
  const selectUser = db.prepare('SELECT * FROM users WHERE id = ?');
  const selectUserByEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const selectUsers = db.prepare('SELECT * FROM users ORDER BY name COLLATE NOCASE, id');
  const countUsers = db.prepare('SELECT COUNT(*) AS count FROM users');
  const selectNetwork = db.prepare('SELECT id, name, created_at FROM network LIMIT 1');
  const selectOrganisation = db.prepare('SELECT * FROM organisations WHERE id = ?');
  const selectOrganisations = db.prepare('SELECT * FROM organisations ORDER BY name_key, id');
  const selectGroup = db.prepare('SELECT * FROM groups WHERE id = ?');
  const selectGroups = db.prepare('SELECT * FROM groups ORDER BY name COLLATE NOCASE, id');
  const selectGroupMembers = db.prepare('SELECT organisation_id FROM group_members WHERE group_id = ? ORDER BY organisation_id');
  const selectInvitation = db.prepare('SELECT * FROM invitations WHERE token_hash = ?');
  const selectOpenInvitations = db.prepare(
    'SELECT * FROM invitations WHERE used_at IS NULL AND expires_at > ? ORDER BY created_at DESC',
  );
  const selectReset = db.prepare('SELECT user_id FROM password_resets WHERE token_hash = ?');

  const group = (row: { id: string; name: string; kind: GroupRecord['kind']; created_at: string }): GroupRecord => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    createdAt: row.created_at,
    organisationIds: (selectGroupMembers.all(row.id) as { organisation_id: string }[]).map((member) => member.organisation_id),
  });

  const memberStatements = (groupId: string, organisationIds: string[]): WriteStatement[] => [
    { sql: 'DELETE FROM group_members WHERE group_id = ?', params: [groupId] },
    ...organisationIds.map((organisationId) => ({
      // Refuses unknown organisations: the SELECT yields no row, so nothing is inserted.
      sql: 'INSERT INTO group_members (group_id, organisation_id) SELECT ?, id FROM organisations WHERE id = ?',
      params: [groupId, organisationId],
      expectChanges: 1,
    })),
  ];

  return {
    async setup(network: NetworkRecord, organisation: OrganisationRecord, admin: UserRecord) {
      try {
        await write([
          {
            sql: 'INSERT INTO network (id, name, created_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM users)',
            params: [network.id, network.name, network.createdAt],
            expectChanges: 1,
          },
          insertOrganisation(organisation),
          insertUser(admin),
        ]);
        return true;
      } catch (error) {
        if (isExpectationFailure(error) || isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async getNetwork() {
      const row = selectNetwork.get() as { id: string; name: string; created_at: string } | undefined;
      return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
    },
    async createOrganisation(organisation) {
      try {
        await write([insertOrganisation(organisation)]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreConflict('An organisation with this name exists.');
        throw error;
      }
    },
    async getOrganisation(organisationId) {
      const row = selectOrganisation.get(organisationId) as OrganisationRow | undefined;
      return row ? toOrganisation(row) : null;
    },
    async listOrganisations() {
      return (selectOrganisations.all() as OrganisationRow[]).map(toOrganisation);
    },
    async getUser(userId) {
      const row = selectUser.get(userId) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async findUserByEmail(email) {
      const row = selectUserByEmail.get(email) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async listUsers() {
      return (selectUsers.all() as UserRow[]).map(toUser);
    },
    async countUsers() {
      return (countUsers.get() as { count: number }).count;
    },
    async updateUser(userId, changes) {
      const sets: string[] = [];
      const params: (string | null)[] = [];
      if (changes.name !== undefined) {
        sets.push('name = ?');
        params.push(changes.name);
      }
      if (changes.language !== undefined) {
        sets.push('language = ?');
        params.push(changes.language);
      }
      if (changes.passwordHash !== undefined) {
        sets.push('password_hash = ?');
        params.push(changes.passwordHash);
      }
      if (sets.length === 0) return selectUser.get(userId) !== undefined;
      const [result] = await write([{ sql: `UPDATE users SET ${sets.join(', ')} WHERE id = ?`, params: [...params, userId] }]);
      return (result?.changes ?? 0) === 1;
    },
    async deactivateUser(userId, at) {
      try {
        await write([
          { sql: 'UPDATE users SET deactivated_at = ? WHERE id = ? AND deactivated_at IS NULL', params: [at, userId], expectChanges: 1 },
          { sql: 'DELETE FROM sessions WHERE user_id = ?', params: [userId] },
        ]);
        return true;
      } catch (error) {
        if (isExpectationFailure(error)) return false;
        throw error;
      }
    },
    async createGroup(record) {
      try {
        await write([
          { sql: 'INSERT INTO groups (id, name, kind, created_at) VALUES (?, ?, ?, ?)', params: [record.id, record.name, record.kind, record.createdAt] },
          ...memberStatements(record.id, record.organisationIds),
        ]);
      } catch (error) {
        if (isExpectationFailure(error)) throw new StoreConflict('Unknown organisation in the group.');
        throw error;
      }
    },
    async updateGroup(groupId, changes) {
      const statements: WriteStatement[] = [
        { sql: 'UPDATE groups SET name = COALESCE(?, name) WHERE id = ?', params: [changes.name ?? null, groupId], expectChanges: 1 },
      ];
      if (changes.organisationIds) statements.push(...memberStatements(groupId, changes.organisationIds));
      try {
        await write(statements);
        return true;
      } catch (error) {
        if (isExpectationFailure(error)) {
          if (!selectGroup.get(groupId)) return false;
          throw new StoreConflict('Unknown organisation in the group.');
        }
        throw error;
      }
    },
    async getGroup(groupId) {
      const row = selectGroup.get(groupId) as Parameters<typeof group>[0] | undefined;
      return row ? group(row) : null;
    },
    async listGroups() {
      return (selectGroups.all() as Parameters<typeof group>[0][]).map(group);
    },
    async createInvitation(invitation) {
      await write([
        {
          sql: `INSERT INTO invitations (token_hash, email, organisation_id, role, invited_by, created_at, expires_at, used_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
          params: [
            invitation.tokenHash,
            invitation.email,
            invitation.organisationId,
            invitation.role,
            invitation.invitedBy,
            invitation.createdAt,
            invitation.expiresAt,
          ],
        },
      ]);
    },
    async findInvitation(tokenHash) {
      const row = selectInvitation.get(tokenHash) as InvitationRow | undefined;
      return row ? toInvitation(row) : null;
    },
    async listOpenInvitations(now) {
      return (selectOpenInvitations.all(now) as InvitationRow[]).map(toInvitation);
    },
    async acceptInvitation(tokenHash, user, now) {
      try {
        await write([
          {
            sql: 'UPDATE invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
            params: [now, tokenHash, now],
            expectChanges: 1,
          },
          insertUser(user),
        ]);
        return 'accepted';
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        if (!isExpectationFailure(error)) throw error;
        const row = selectInvitation.get(tokenHash) as InvitationRow | undefined;
        if (!row) return 'unknown';
        return row.used_at ? 'used' : 'expired';
      }
    },
    async createPasswordReset(reset) {
      await write([
        {
          sql: `INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, NULL)`,
          params: [reset.tokenHash, reset.userId, reset.createdBy, reset.createdAt, reset.expiresAt],
        },
      ]);
    },
    async consumePasswordReset(tokenHash, passwordHash, now) {
      const row = selectReset.get(tokenHash) as { user_id: string } | undefined;
      if (!row) return null;
      try {
        await write([
          {
            sql: 'UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
            params: [now, tokenHash, now],
            expectChanges: 1,
          },
          {
            sql: 'UPDATE users SET password_hash = ? WHERE id = ? AND deactivated_at IS NULL',
            params: [passwordHash, row.user_id],
            expectChanges: 1,
          },
          { sql: 'DELETE FROM sessions WHERE user_id = ?', params: [row.user_id] },
        ]);
      } catch (error) {
        if (isExpectationFailure(error)) return null;
        throw error;
      }
      const user = selectUser.get(row.user_id) as UserRow | undefined;
      return user ? toUser(user) : null;
    },
  };
}

interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Sessions on SQLite. */
export function createSqliteSessions(db: Database.Database, write: WriteFn): SessionRepository {
  const selectSession = db.prepare('SELECT * FROM sessions WHERE id_hash = ?');
  return {
    async create(session: SessionRecord) {
      await write([
        {
          sql: 'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
          params: [session.idHash, session.userId, session.createdAt, session.lastSeenAt, session.expiresAt],
        },
      ]);
    },
    async get(idHash) {
      const row = selectSession.get(idHash) as SessionRow | undefined;
      return row
        ? { idHash: row.id_hash, userId: row.user_id, createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }
        : null;
    },
    // Never backwards: a socket's use reported by the sweep may be older than a REST call's.
    async touch(idHash, lastSeenAt) {
      await write([{ sql: 'UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE id_hash = ?', params: [lastSeenAt, idHash] }]);
    },
    async delete(idHash) {
      const [result] = await write([{ sql: 'DELETE FROM sessions WHERE id_hash = ?', params: [idHash] }]);
      return (result?.changes ?? 0) > 0;
    },
    async deleteForUser(userId) {
      const [result] = await write([{ sql: 'DELETE FROM sessions WHERE user_id = ?', params: [userId] }]);
      return result?.changes ?? 0;
    },
  };
}

/** The audit log on SQLite. */
export function createSqliteAudit(db: Database.Database, write: WriteFn): AuditLog {
  const selectEntries = db.prepare('SELECT actor_id, action, target_id, at FROM audit_log ORDER BY seq DESC LIMIT ?');
  const selectEntry = db.prepare('SELECT 1 FROM audit_log WHERE at = ? AND action = ? AND target_id IS ? AND actor_id IS ? LIMIT 1').pluck();
  return {
    async record(entry) {
      await write([
        { sql: 'INSERT INTO audit_log (actor_id, action, target_id, at) VALUES (?, ?, ?, ?)', params: [entry.actorId, entry.action, entry.targetId, entry.at] },
      ]);
    },
    async list(limit) {
      return (selectEntries.all(limit) as { actor_id: string | null; action: string; target_id: string | null; at: string }[]).map((row) => ({
        actorId: row.actor_id,
        action: row.action,
        targetId: row.target_id,
        at: row.at,
      }));
    },
    async has(entry) {
      return selectEntry.get(entry.at, entry.action, entry.targetId, entry.actorId) !== undefined;
    },
  };
}

interface ShareRow {
  id: string;
  document_id: string;
  principal_type: ShareRecord['principalType'];
  principal_id: string;
  role: ShareRecord['role'];
  created_by: string;
  created_at: string;
}

const toShare = (row: ShareRow): ShareRecord => ({
  id: row.id,
  documentId: row.document_id,
  principalType: row.principal_type,
  principalId: row.principal_id,
  role: row.role,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** Shares on SQLite. */
export function createSqliteShares(db: Database.Database, write: WriteFn): ShareRepository {
  const selectForDocument = db.prepare('SELECT * FROM shares WHERE document_id = ? ORDER BY created_at, id');
  const selectOne = db.prepare('SELECT * FROM shares WHERE document_id = ? AND principal_type = ? AND principal_id = ?');
  return {
    async upsert(share) {
      await write([
        {
          sql: `INSERT INTO shares (id, document_id, principal_type, principal_id, role, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (document_id, principal_type, principal_id) DO UPDATE SET role = excluded.role`,
          params: [share.id, share.documentId, share.principalType, share.principalId, share.role, share.createdBy, share.createdAt],
        },
      ]);
      return toShare(selectOne.get(share.documentId, share.principalType, share.principalId) as ShareRow);
    },
    async listForDocument(documentId) {
      return (selectForDocument.all(documentId) as ShareRow[]).map(toShare);
    },
    async listForPrincipals({ userId, organisationId, groupIds }) {
      const conditions = ["(principal_type = 'user' AND principal_id = ?)", "(principal_type = 'organisation' AND principal_id = ?)"];
      const params: string[] = [userId, organisationId];
      if (groupIds.length > 0) {
        conditions.push(`(principal_type = 'group' AND principal_id IN (${groupIds.map(() => '?').join(', ')}))`);
        params.push(...groupIds);
      }
      return (db.prepare(`SELECT * FROM shares WHERE ${conditions.join(' OR ')}`).all(...params) as ShareRow[]).map(toShare);
    },
    async delete(documentId, shareId) {
      const [result] = await write([{ sql: 'DELETE FROM shares WHERE id = ? AND document_id = ?', params: [shareId, documentId] }]);
      return (result?.changes ?? 0) === 1;
    },
  };
}

/** Adoptions on SQLite. */
export function createSqliteAdoptions(db: Database.Database, write: WriteFn): AdoptionRepository {
  const selectForSource = db.prepare('SELECT * FROM adoptions WHERE source_document_id = ? ORDER BY adopted_at, id');
  return {
    async create(adoption) {
      await write([
        {
          sql: `INSERT INTO adoptions (id, source_document_id, source_item_id, target_document_id, target_item_id, adopted_by, adopted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)`,
          params: [adoption.id, adoption.sourceDocumentId, adoption.sourceItemId, adoption.targetDocumentId, adoption.targetItemId, adoption.adoptedBy, adoption.adoptedAt],
        },
      ]);
    },
    async listForSource(documentId) {
      return (
        selectForSource.all(documentId) as {
          id: string;
          source_document_id: string;
          source_item_id: string | null;
          target_document_id: string;
          target_item_id: string;
          adopted_by: string;
          adopted_at: string;
        }[]
      ).map(
        (row): AdoptionRecord => ({
          id: row.id,
          sourceDocumentId: row.source_document_id,
          sourceItemId: row.source_item_id,
          targetDocumentId: row.target_document_id,
          targetItemId: row.target_item_id,
          adoptedBy: row.adopted_by,
          adoptedAt: row.adopted_at,
        }),
      );
    },
  };
}
