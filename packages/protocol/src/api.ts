import { z } from 'zod';

/** Kinds of collaborative documents. */
export const documentTypeSchema = z.enum(['plan', 'pilot', 'board']);
export type DocumentType = z.infer<typeof documentTypeSchema>;

/** `private` (default), `group:<groupId>` or `network`. */
export const visibilitySchema = z.union([
  z.literal('private'),
  z.literal('network'),
  z.string().regex(/^group:[A-Za-z0-9_-]{1,64}$/, 'group:<groupId>'),
]);
export type Visibility = z.infer<typeof visibilitySchema>;

export const documentTitleSchema = z.string().trim().min(1).max(200);

/** Body of `POST /api/documents`. */
export const createDocumentRequestSchema = z
  .object({
    type: documentTypeSchema,
    title: documentTitleSchema,
    visibility: visibilitySchema.optional(),
  })
  .strict();
export type CreateDocumentRequest = z.infer<typeof createDocumentRequestSchema>;

/** Body of `PATCH /api/documents/:id`. */
export const updateDocumentRequestSchema = z
  .object({
    title: documentTitleSchema.optional(),
    visibility: visibilitySchema.optional(),
  })
  .strict();
export type UpdateDocumentRequest = z.infer<typeof updateDocumentRequestSchema>;

/**
 * Query of `GET /api/documents` (all optional, combined with AND): document type, owning
 * organisation, and — from the document's extracted figures — a measure's (or pilot's) sector and
 * status, and a pilot's outcome (its recommendation).
 */
export const listDocumentsQuerySchema = z
  .object({
    type: documentTypeSchema.optional(),
    organisation: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
    sector: z.string().regex(/^[a-z_]{1,40}$/).optional(),
    status: z.string().regex(/^[a-z_]{1,40}$/).optional(),
    outcome: z.enum(['adopt', 'continue', 'stop']).optional(),
  })
  .strict();
export type ListDocumentsQuery = z.infer<typeof listDocumentsQuerySchema>;

/** Access levels, weakest first: none < read < comment < edit < manage. */
export type AccessLevel = 'read' | 'comment' | 'edit' | 'manage';

/** A catalogue entry as the API returns it. */
export interface DocumentSummary {
  id: string;
  type: DocumentType;
  title: string;
  visibility: Visibility;
  ownerOrganisationId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The caller's access level. */
  access?: AccessLevel;
}

export const shareRoleSchema = z.enum(['viewer', 'commenter', 'editor']);
const principalId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** `POST /api/documents/:id/shares`: exactly one of userId, organisationId, groupId, and a role. */
export const createShareRequestSchema = z.union([
  z.object({ userId: principalId, role: shareRoleSchema }).strict(),
  z.object({ organisationId: principalId, role: shareRoleSchema }).strict(),
  z.object({ groupId: principalId, role: shareRoleSchema }).strict(),
]);
export type CreateShareRequest = z.infer<typeof createShareRequestSchema>;

/** A share as the API returns it. */
export interface ShareSummary {
  id: string;
  documentId: string;
  principalType: 'user' | 'organisation' | 'group';
  principalId: string;
  role: 'viewer' | 'commenter' | 'editor';
  createdAt: string;
}

/** `GET /api/health`. */
export interface HealthResponse {
  status: 'ok' | 'unavailable';
  store: { kind: 'sqlite' | 'mongo'; ok: boolean; error?: string };
  uptimeSeconds: number;
  build: string;
  schemaVersion: number;
}

/** Document ids: URL-safe, so they can be a path segment and a y-websocket room name. */
export const documentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const name = z.string().trim().min(1).max(120);
const email = z.email().max(254);
/** Length and commonness are checked by the server (minimum 12, no composition rules). */
const password = z.string().min(1).max(256);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const organisationKindSchema = z.enum(['municipality', 'region', 'agency', 'guest', 'other']);
export const networkRoleSchema = z.enum(['admin', 'coordinator', 'guest']);
export const languageSchema = z.enum(['sv', 'en']);
export const groupKindSchema = z.enum(['thematic', 'neighbour']);

/** `POST /api/setup`. */
export const setupRequestSchema = z
  .object({
    networkName: name,
    organisationName: name,
    organisationKind: organisationKindSchema.optional(),
    name,
    email,
    password,
    language: languageSchema.optional(),
  })
  .strict();

/** `POST /api/auth/login`. */
export const loginRequestSchema = z.object({ email: z.string().trim().min(1).max(254), password }).strict();

/** `PATCH /api/auth/me`. */
export const updateProfileRequestSchema = z.object({ name: name.optional(), language: languageSchema.optional() }).strict();

/** `POST /api/auth/password`. */
export const changePasswordRequestSchema = z.object({ currentPassword: password, newPassword: password }).strict();

/** `POST /api/organisations`. */
export const createOrganisationRequestSchema = z.object({ name, kind: organisationKindSchema.optional() }).strict();

/** `POST /api/invitations`. */
export const createInvitationRequestSchema = z.object({ email, organisationId: id, role: networkRoleSchema }).strict();

/** `POST /api/invitations/:token/accept`. */
export const acceptInvitationRequestSchema = z.object({ name, password, language: languageSchema.optional() }).strict();

/** `POST /api/password-resets/:token`. */
export const resetPasswordRequestSchema = z.object({ password }).strict();

/** `POST /api/groups`. */
export const createGroupRequestSchema = z
  .object({ name, kind: groupKindSchema, organisationIds: z.array(id).max(500) })
  .strict();

/** `PATCH /api/groups/:id`. */
export const updateGroupRequestSchema = z.object({ name: name.optional(), organisationIds: z.array(id).max(500).optional() }).strict();

export type OrganisationKind = z.infer<typeof organisationKindSchema>;
export type NetworkRole = z.infer<typeof networkRoleSchema>;

/** A user as other users see them. */
export interface UserSummary {
  id: string;
  name: string;
  organisationId: string;
  role: NetworkRole;
  /** Only for admins and the user themself. */
  email?: string;
  deactivated?: boolean;
  language?: 'sv' | 'en';
}

export interface OrganisationSummary {
  id: string;
  name: string;
  kind: OrganisationKind;
}

export interface GroupSummary {
  id: string;
  name: string;
  kind: 'thematic' | 'neighbour';
  organisationIds: string[];
}

/** `GET /api/auth/me`. */
export interface MeResponse {
  user: UserSummary;
  organisation: OrganisationSummary;
  network: { id: string; name: string };
  groups: GroupSummary[];
}

/** `POST /api/documents/:id/adopt`: copy a measure (`measureId`) or a pilot's recommendation into a plan. */
export const adoptRequestSchema = z
  .object({ measureId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(), targetPlanId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) })
  .strict();

/** Expected and actual impact, summed (tonnes CO₂e and MWh per year), with the number of measures. */
export interface OverviewImpact {
  measures: number;
  estimatedCo2ReductionT: number;
  actualCo2ReductionT: number;
  estimatedEnergySavingsMwh: number;
  actualEnergySavingsMwh: number;
}

/** One cell of `GET /api/overview`: the measures of one organisation in one sector with one status. */
export interface OverviewCell extends OverviewImpact {
  organisationId: string | null;
  sector: string | null;
  status: string;
}

/** One target of a readable plan with its yearly actual values against the straight trajectory. */
export interface OverviewTarget {
  documentId: string;
  documentTitle: string;
  organisationId: string | null;
  id: string;
  indicator: string;
  unit: string;
  baselineYear: number | null;
  baselineValue: number | null;
  targetYear: number | null;
  targetValue: number | null;
  progress: { year: number; actual: number; trajectory: number | null; onTrack: boolean | null }[];
}

/** `GET /api/overview`. */
export interface OverviewResponse {
  totals: OverviewImpact;
  measures: OverviewCell[];
  targets: OverviewTarget[];
}
