import type { ClientSession } from 'mongoose';
import type {
  AdoptionRepository,
  AccountsRepository,
  AuditLog,
  GroupRecord,
  InvitationRecord,
  OrganisationRecord,
  SessionRepository,
  ShareRecord,
  ShareRepository,
  UserRecord,
} from '../ports.js';
import { StoreConflict } from '../ports.js';
import { openInvitation, openPasswordReset, sharesForPrincipals, userByEmail } from './queries.js';
import type { AdoptionDoc, GroupDoc, InvitationDoc, MongoModels, OrganisationDoc, ShareDoc, UserDoc } from './schemas.js';

/** Runs `fn` in a transaction with majority + journal writes. */
export type TransactionFn = <T>(fn: (session: ClientSession) => Promise<T>) => Promise<T>;

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

const toUser = (doc: UserDoc): UserRecord => ({
  id: doc._id,
  organisationId: doc.organisationId,
  email: doc.email,
  name: doc.name,
  role: doc.role as UserRecord['role'],
  language: doc.language as UserRecord['language'],
  passwordHash: doc.passwordHash,
  createdAt: doc.createdAt.toISOString(),
  deactivatedAt: iso(doc.deactivatedAt),
});

const fromUser = (user: UserRecord): UserDoc => ({
  _id: user.id,
  organisationId: user.organisationId,
  email: user.email,
  name: user.name,
  role: user.role,
  language: user.language,
  passwordHash: user.passwordHash,
  createdAt: new Date(user.createdAt),
  deactivatedAt: user.deactivatedAt ? new Date(user.deactivatedAt) : null,
});

const toOrganisation = (doc: OrganisationDoc): OrganisationRecord => ({
  id: doc._id,
  name: doc.name,
  kind: doc.kind as OrganisationRecord['kind'],
  createdAt: doc.createdAt.toISOString(),
});

const fromOrganisation = (organisation: OrganisationRecord): OrganisationDoc => ({
  _id: organisation.id,
  name: organisation.name,
  nameKey: organisation.name.trim().toLocaleLowerCase('sv'),
  kind: organisation.kind,
  createdAt: new Date(organisation.createdAt),
});

const toGroup = (doc: GroupDoc): GroupRecord => ({
  id: doc._id,
  name: doc.name,
  kind: doc.kind as GroupRecord['kind'],
  organisationIds: [...doc.organisationIds].sort(),
  createdAt: doc.createdAt.toISOString(),
});

const toInvitation = (doc: InvitationDoc): InvitationRecord => ({
  tokenHash: doc._id,
  email: doc.email,
  organisationId: doc.organisationId,
  role: doc.role as InvitationRecord['role'],
  invitedBy: doc.invitedBy,
  createdAt: doc.createdAt.toISOString(),
  expiresAt: doc.expiresAt.toISOString(),
  usedAt: iso(doc.usedAt),
});

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

/** Accounts on MongoDB; multi-document changes run in transactions. */
export function createMongoAccounts(models: MongoModels, transaction: TransactionFn): AccountsRepository {
  const knownOrganisations = async (organisationIds: string[], session?: ClientSession): Promise<boolean> => {
    const unique = [...new Set(organisationIds)];
    const found = await models.organisations.countDocuments({ _id: { $in: unique } } as never).session(session ?? null);
    return found === unique.length;
  };

  return {
    async setup(network, organisation, admin) {
      try {
        return await transaction(async (session) => {
          if ((await models.users.countDocuments({}).session(session)) > 0) return false;
          await models.network.create([{ _id: network.id, name: network.name, createdAt: new Date(network.createdAt) }], { session });
          await models.organisations.create([fromOrganisation(organisation)], { session });
          await models.users.create([fromUser(admin)], { session });
          return true;
        });
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async getNetwork() {
      const doc = await models.network.findOne({}).lean();
      return doc ? { id: doc._id, name: doc.name, createdAt: doc.createdAt.toISOString() } : null;
    },
    async createOrganisation(organisation) {
      try {
        await models.organisations.create([fromOrganisation(organisation)]);
      } catch (error) {
        if (isDuplicateKey(error)) throw new StoreConflict('An organisation with this name exists.');
        throw error;
      }
    },
    async getOrganisation(organisationId) {
      const doc = await models.organisations.findById(organisationId).lean<OrganisationDoc>();
      return doc ? toOrganisation(doc) : null;
    },
    async listOrganisations() {
      return (await models.organisations.find({}).sort({ nameKey: 1, _id: 1 }).lean<OrganisationDoc[]>()).map(toOrganisation);
    },
    async getUser(userId) {
      const doc = await models.users.findById(userId).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },
    async findUserByEmail(email) {
      const doc = await models.users.findOne(userByEmail(email)).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },
    async listUsers() {
      const docs = await models.users.find({}).lean<UserDoc[]>();
      return docs.map(toUser).sort((a, b) => a.name.localeCompare(b.name, 'sv') || a.id.localeCompare(b.id));
    },
    async countUsers() {
      return models.users.countDocuments({});
    },
    async updateUser(userId, changes) {
      const set: Record<string, string> = {};
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.language !== undefined) set.language = changes.language;
      if (changes.passwordHash !== undefined) set.passwordHash = changes.passwordHash;
      if (Object.keys(set).length === 0) return (await models.users.countDocuments({ _id: userId })) === 1;
      const result = await models.users.updateOne({ _id: userId }, { $set: set });
      return result.matchedCount === 1;
    },
    async deactivateUser(userId, at) {
      return transaction(async (session) => {
        const result = await models.users.updateOne({ _id: userId, deactivatedAt: null }, { $set: { deactivatedAt: new Date(at) } }, { session });
        if (result.modifiedCount !== 1) return false;
        await models.sessions.deleteMany({ userId }, { session });
        return true;
      });
    },
    async createGroup(group) {
      await transaction(async (session) => {
        if (!(await knownOrganisations(group.organisationIds, session))) throw new StoreConflict('Unknown organisation in the group.');
        await models.groups.create(
          [{ _id: group.id, name: group.name, kind: group.kind, organisationIds: [...new Set(group.organisationIds)], createdAt: new Date(group.createdAt) }],
          { session },
        );
      });
    },
    async updateGroup(groupId, changes) {
      return transaction(async (session) => {
        if (changes.organisationIds && !(await knownOrganisations(changes.organisationIds, session))) {
          if ((await models.groups.countDocuments({ _id: groupId }).session(session)) === 0) return false;
          throw new StoreConflict('Unknown organisation in the group.');
        }
        const set: Partial<GroupDoc> = {};
        if (changes.name !== undefined) set.name = changes.name;
        if (changes.organisationIds) set.organisationIds = [...new Set(changes.organisationIds)];
        const result = await models.groups.updateOne({ _id: groupId }, { $set: set }, { session });
        return result.matchedCount === 1;
      });
    },
    async getGroup(groupId) {
      const doc = await models.groups.findById(groupId).lean<GroupDoc>();
      return doc ? toGroup(doc) : null;
    },
    async listGroups() {
      const docs = await models.groups.find({}).lean<GroupDoc[]>();
      return docs.map(toGroup).sort((a, b) => a.name.localeCompare(b.name, 'sv') || a.id.localeCompare(b.id));
    },
    async createInvitation(invitation) {
      await models.invitations.create([
        {
          _id: invitation.tokenHash,
          email: invitation.email,
          organisationId: invitation.organisationId,
          role: invitation.role,
          invitedBy: invitation.invitedBy,
          createdAt: new Date(invitation.createdAt),
          expiresAt: new Date(invitation.expiresAt),
          usedAt: null,
        },
      ]);
    },
    async findInvitation(tokenHash) {
      const doc = await models.invitations.findById(tokenHash).lean<InvitationDoc>();
      return doc ? toInvitation(doc) : null;
    },
    async listOpenInvitations(now) {
      const docs = await models.invitations.find(openInvitationsFilter(new Date(now))).sort({ createdAt: -1 }).lean<InvitationDoc[]>();
      return docs.map(toInvitation);
    },
    async acceptInvitation(tokenHash, user, now) {
      try {
        return await transaction(async (session) => {
          const used = await models.invitations.updateOne(openInvitation(tokenHash, new Date(now)), { $set: { usedAt: new Date(now) } }, { session });
          if (used.modifiedCount !== 1) {
            const doc = await models.invitations.findById(tokenHash).session(session).lean<InvitationDoc>();
            if (!doc) return 'unknown' as const;
            return doc.usedAt ? ('used' as const) : ('expired' as const);
          }
          await models.users.create([fromUser(user)], { session });
          return 'accepted' as const;
        });
      } catch (error) {
        if (isDuplicateKey(error)) return 'email_taken';
        throw error;
      }
    },
    async createPasswordReset(reset) {
      await models.passwordResets.create([
        {
          _id: reset.tokenHash,
          userId: reset.userId,
          createdBy: reset.createdBy,
          createdAt: new Date(reset.createdAt),
          expiresAt: new Date(reset.expiresAt),
          usedAt: null,
        },
      ]);
    },
    async consumePasswordReset(tokenHash, passwordHash, now) {
      return transaction(async (session) => {
        const reset = await models.passwordResets
          .findOneAndUpdate(openPasswordReset(tokenHash, new Date(now)), { $set: { usedAt: new Date(now) } }, { session, returnDocument: 'after' })
          .lean();
        if (!reset) return null;
        const updated = await models.users.updateOne(
          { _id: reset.userId, deactivatedAt: null },
          { $set: { passwordHash } },
          { session },
        );
        if (updated.matchedCount !== 1) {
          await session.abortTransaction();
          return null;
        }
        await models.sessions.deleteMany({ userId: reset.userId }, { session });
        const user = await models.users.findById(reset.userId).session(session).lean<UserDoc>();
        return user ? toUser(user) : null;
      });
    },
  };
}

function openInvitationsFilter(now: Date) {
  return { usedAt: null, expiresAt: openInvitation('', now).expiresAt };
}

/** Sessions on MongoDB. */
export function createMongoSessions(models: MongoModels): SessionRepository {
  return {
    async create(session) {
      await models.sessions.create([
        {
          _id: session.idHash,
          userId: session.userId,
          createdAt: new Date(session.createdAt),
          lastSeenAt: new Date(session.lastSeenAt),
          expiresAt: new Date(session.expiresAt),
        },
      ]);
    },
    async get(idHash) {
      const doc = await models.sessions.findById(idHash).lean();
      return doc
        ? {
            idHash: doc._id,
            userId: doc.userId,
            createdAt: doc.createdAt.toISOString(),
            lastSeenAt: doc.lastSeenAt.toISOString(),
            expiresAt: doc.expiresAt.toISOString(),
          }
        : null;
    },
    async touch(idHash, lastSeenAt) {
      // Never backwards: a socket's use reported by the sweep may be older than a REST call's.
      await models.sessions.updateOne({ _id: idHash }, { $max: { lastSeenAt: new Date(lastSeenAt) } });
    },
    async delete(idHash) {
      return (await models.sessions.deleteOne({ _id: idHash })).deletedCount === 1;
    },
    async deleteForUser(userId) {
      return (await models.sessions.deleteMany({ userId })).deletedCount;
    },
  };
}

/** The audit log on MongoDB. */
export function createMongoAudit(models: MongoModels): AuditLog {
  return {
    async record(entry) {
      await models.audit.create([{ actorId: entry.actorId, action: entry.action, targetId: entry.targetId, at: new Date(entry.at) }]);
    },
    async list(limit) {
      const docs = await models.audit.find({}).sort({ at: -1, _id: -1 }).limit(limit).lean();
      return docs.map((doc) => ({ actorId: doc.actorId, action: doc.action, targetId: doc.targetId, at: doc.at.toISOString() }));
    },
    async has(entry) {
      return (await models.audit.exists({ at: new Date(entry.at), action: entry.action, targetId: entry.targetId, actorId: entry.actorId })) !== null;
    },
  };
}

const toShare = (doc: ShareDoc): ShareRecord => ({
  id: doc._id,
  documentId: doc.documentId,
  principalType: doc.principalType as ShareRecord['principalType'],
  principalId: doc.principalId,
  role: doc.role as ShareRecord['role'],
  createdBy: doc.createdBy,
  createdAt: doc.createdAt.toISOString(),
});

/** Shares on MongoDB. */
export function createMongoShares(models: MongoModels): ShareRepository {
  return {
    async upsert(share) {
      const doc = await models.shares
        .findOneAndUpdate(
          { documentId: share.documentId, principalType: share.principalType, principalId: share.principalId },
          {
            $set: { role: share.role },
            $setOnInsert: { _id: share.id, createdBy: share.createdBy, createdAt: new Date(share.createdAt) },
          },
          { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false },
        )
        .lean<ShareDoc>()
        .orFail();
      return toShare(doc);
    },
    async listForDocument(documentId) {
      return (await models.shares.find({ documentId }).sort({ createdAt: 1, _id: 1 }).lean<ShareDoc[]>()).map(toShare);
    },
    async listForPrincipals(principals) {
      return (await models.shares.find(sharesForPrincipals(principals)).lean<ShareDoc[]>()).map(toShare);
    },
    async delete(documentId, shareId) {
      return (await models.shares.deleteOne({ _id: shareId, documentId })).deletedCount === 1;
    },
  };
}

/** Adoptions on MongoDB. */
export function createMongoAdoptions(models: MongoModels): AdoptionRepository {
  return {
    async create(adoption) {
      await models.adoptions.create([
        {
          _id: adoption.id,
          sourceDocumentId: adoption.sourceDocumentId,
          sourceItemId: adoption.sourceItemId,
          targetDocumentId: adoption.targetDocumentId,
          targetItemId: adoption.targetItemId,
          adoptedBy: adoption.adoptedBy,
          adoptedAt: new Date(adoption.adoptedAt),
        },
      ]);
    },
    async listForSource(documentId) {
      const docs = await models.adoptions.find({ sourceDocumentId: documentId }).sort({ adoptedAt: 1, _id: 1 }).lean<AdoptionDoc[]>();
      return docs.map((doc) => ({
        id: doc._id,
        sourceDocumentId: doc.sourceDocumentId,
        sourceItemId: doc.sourceItemId,
        targetDocumentId: doc.targetDocumentId,
        targetItemId: doc.targetItemId,
        adoptedBy: doc.adoptedBy,
        adoptedAt: doc.adoptedAt.toISOString(),
      }));
    },
  };
}
