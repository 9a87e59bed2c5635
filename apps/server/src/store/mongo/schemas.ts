// mongoose is CommonJS: take runtime values from its default export.
import mongoose, { type Connection } from 'mongoose';

const { Schema } = mongoose;

/**
 * Collections of the MongoDB store. Indexes are declared here and built at start-up
 * (`syncIndexes`). Document ids are strings chosen by the server.
 */

export interface DocumentDoc {
  _id: string;
  type: string;
  title: string;
  visibility: string;
  ownerOrganisationId: string | null;
  createdBy: string | null;
  facts?: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** Per-document counters: next update seq, the seq the snapshot covers, and a version for compare-and-set. */
export interface DocumentHeadDoc {
  _id: string;
  nextSeq: number;
  snapshotSeq: number;
  version: number;
}

export interface BlobPartDoc {
  documentId: string;
  seq: number;
  part: number;
  parts: number;
  data: Buffer;
}

const documentSchema = new Schema<DocumentDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true, enum: ['plan', 'pilot', 'board'] },
    title: { type: String, required: true, maxlength: 200 },
    visibility: { type: String, required: true },
    ownerOrganisationId: { type: String, default: null },
    createdBy: { type: String, default: null },
    facts: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    deletedAt: { type: Date, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
documentSchema.index({ deletedAt: 1, updatedAt: -1 });
documentSchema.index({ ownerOrganisationId: 1 });

const headSchema = new Schema<DocumentHeadDoc>(
  {
    _id: { type: String, required: true },
    // No defaults: the first append's upsert creates them ($inc and $setOnInsert, see queries.ts).
    nextSeq: { type: Number, required: true },
    snapshotSeq: { type: Number, required: true },
    version: { type: Number, required: true },
  },
  { versionKey: false, strict: 'throw' },
);

function blobSchema(): mongoose.Schema<BlobPartDoc> {
  const schema = new Schema<BlobPartDoc>(
    {
      documentId: { type: String, required: true },
      seq: { type: Number, required: true, min: 0 },
      part: { type: Number, required: true, min: 0 },
      parts: { type: Number, required: true, min: 1 },
      data: { type: Buffer, required: true },
    },
    { versionKey: false, strict: 'throw' },
  );
  schema.index({ documentId: 1, seq: 1, part: 1 }, { unique: true });
  return schema;
}

export interface NetworkDoc {
  _id: string;
  name: string;
  createdAt: Date;
}

export interface OrganisationDoc {
  _id: string;
  name: string;
  /** Lower-cased name, unique: organisation names are unique regardless of case. */
  nameKey: string;
  kind: string;
  createdAt: Date;
}

export interface UserDoc {
  _id: string;
  organisationId: string;
  email: string;
  name: string;
  role: string;
  language: string;
  passwordHash: string;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export interface GroupDoc {
  _id: string;
  name: string;
  kind: string;
  organisationIds: string[];
  createdAt: Date;
}

export interface InvitationDoc {
  _id: string;
  email: string;
  organisationId: string;
  role: string;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface PasswordResetDoc {
  _id: string;
  userId: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface SessionDoc {
  _id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface ShareDoc {
  _id: string;
  documentId: string;
  principalType: string;
  principalId: string;
  role: string;
  createdBy: string;
  createdAt: Date;
}

export interface SearchEntryDoc {
  documentId: string;
  itemId: string | null;
  title: string;
  body: string;
  sector: string | null;
  status: string | null;
}

export interface AdoptionDoc {
  _id: string;
  sourceDocumentId: string;
  sourceItemId: string | null;
  targetDocumentId: string;
  targetItemId: string;
  adoptedBy: string;
  adoptedAt: Date;
}

export interface AuditDoc {
  actorId: string | null;
  action: string;
  targetId: string | null;
  at: Date;
}

const strict = { versionKey: false as const, strict: 'throw' as const };

const networkSchema = new Schema<NetworkDoc>(
  { _id: { type: String, required: true }, name: { type: String, required: true }, createdAt: { type: Date, required: true } },
  strict,
);

const organisationSchema = new Schema<OrganisationDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    kind: { type: String, required: true, enum: ['municipality', 'region', 'agency', 'guest', 'other'] },
    createdAt: { type: Date, required: true },
  },
  strict,
);
organisationSchema.index({ nameKey: 1 }, { unique: true });

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    organisationId: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true, enum: ['admin', 'coordinator', 'guest'] },
    language: { type: String, required: true, enum: ['sv', 'en'] },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    deactivatedAt: { type: Date, default: null },
  },
  strict,
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ organisationId: 1 });

const groupSchema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true, enum: ['thematic', 'neighbour'] },
    organisationIds: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  strict,
);
groupSchema.index({ organisationIds: 1 });

const invitationSchema = new Schema<InvitationDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    organisationId: { type: String, required: true },
    role: { type: String, required: true },
    invitedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  strict,
);
invitationSchema.index({ usedAt: 1, expiresAt: 1 });

const passwordResetSchema = new Schema<PasswordResetDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdBy: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  strict,
);

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  strict,
);
sessionSchema.index({ userId: 1 });
// MongoDB removes sessions past their absolute expiry by itself.
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

const shareSchema = new Schema<ShareDoc>(
  {
    _id: { type: String, required: true },
    documentId: { type: String, required: true },
    principalType: { type: String, required: true, enum: ['user', 'organisation', 'group'] },
    principalId: { type: String, required: true },
    role: { type: String, required: true, enum: ['viewer', 'commenter', 'editor'] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  strict,
);
shareSchema.index({ documentId: 1, principalType: 1, principalId: 1 }, { unique: true });
shareSchema.index({ principalId: 1 });

const searchEntrySchema = new Schema<SearchEntryDoc>(
  {
    documentId: { type: String, required: true },
    itemId: { type: String, default: null },
    title: { type: String, default: '' },
    body: { type: String, default: '' },
    sector: { type: String, default: null },
    status: { type: String, default: null },
  },
  strict,
);
searchEntrySchema.index({ documentId: 1 });
// Swedish stemming; MongoDB text indexes fold diacritics (unlike the SQLite index, see docs).
searchEntrySchema.index({ title: 'text', body: 'text' }, { default_language: 'swedish', weights: { title: 3, body: 1 }, name: 'search_text' });

const adoptionSchema = new Schema<AdoptionDoc>(
  {
    _id: { type: String, required: true },
    sourceDocumentId: { type: String, required: true },
    sourceItemId: { type: String, default: null },
    targetDocumentId: { type: String, required: true },
    targetItemId: { type: String, required: true },
    adoptedBy: { type: String, required: true },
    adoptedAt: { type: Date, required: true },
  },
  strict,
);
adoptionSchema.index({ sourceDocumentId: 1, adoptedAt: 1 });

const auditSchema = new Schema<AuditDoc>(
  {
    actorId: { type: String, default: null },
    action: { type: String, required: true },
    targetId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  strict,
);
auditSchema.index({ at: -1 });

/** The models of one connection. */
export function defineModels(connection: Connection) {
  return {
    network: connection.model<NetworkDoc>('Network', networkSchema, 'network'),
    organisations: connection.model<OrganisationDoc>('Organisation', organisationSchema, 'organisations'),
    users: connection.model<UserDoc>('User', userSchema, 'users'),
    groups: connection.model<GroupDoc>('Group', groupSchema, 'groups'),
    invitations: connection.model<InvitationDoc>('Invitation', invitationSchema, 'invitations'),
    passwordResets: connection.model<PasswordResetDoc>('PasswordReset', passwordResetSchema, 'password_resets'),
    sessions: connection.model<SessionDoc>('Session', sessionSchema, 'sessions'),
    audit: connection.model<AuditDoc>('AuditEntry', auditSchema, 'audit_log'),
    shares: connection.model<ShareDoc>('Share', shareSchema, 'shares'),
    searchEntries: connection.model<SearchEntryDoc>('SearchEntry', searchEntrySchema, 'search_entries'),
    adoptions: connection.model<AdoptionDoc>('Adoption', adoptionSchema, 'adoptions'),
    documents: connection.model<DocumentDoc>('Document', documentSchema, 'documents'),
    heads: connection.model<DocumentHeadDoc>('DocumentHead', headSchema, 'document_heads'),
    updates: connection.model<BlobPartDoc>('DocumentUpdate', blobSchema(), 'document_updates'),
    snapshots: connection.model<BlobPartDoc>('DocumentSnapshot', blobSchema(), 'document_snapshots'),
  };
}

export type MongoModels = ReturnType<typeof defineModels>;
