export { CloseCode, isTerminalCloseCode } from './closeCodes.js';
export type { CloseCodeName, CloseCodeValue } from './closeCodes.js';
export { MessageType, SyncMessageType } from './messageTypes.js';
export type { MessageTypeName } from './messageTypes.js';
export { ErrorId } from './errors.js';
export type { ErrorBody, ErrorIdValue } from './errors.js';
export {
  adoptRequestSchema,
  acceptInvitationRequestSchema,
  changePasswordRequestSchema,
  createGroupRequestSchema,
  createInvitationRequestSchema,
  createOrganisationRequestSchema,
  groupKindSchema,
  languageSchema,
  loginRequestSchema,
  networkRoleSchema,
  organisationKindSchema,
  resetPasswordRequestSchema,
  setupRequestSchema,
  updateGroupRequestSchema,
  updateProfileRequestSchema,
  createDocumentRequestSchema,
  createShareRequestSchema,
  shareRoleSchema,
  documentIdSchema,
  documentTitleSchema,
  documentTypeSchema,
  updateDocumentRequestSchema,
  visibilitySchema,
  listDocumentsQuerySchema,
} from './api.js';
export type {
  GroupSummary,
  MeResponse,
  NetworkRole,
  OrganisationKind,
  OrganisationSummary,
  UserSummary,
  AccessLevel,
  CreateShareRequest,
  ShareSummary,
  CreateDocumentRequest,
  DocumentSummary,
  DocumentType,
  HealthResponse,
  UpdateDocumentRequest,
  Visibility,
  ListDocumentsQuery,
  OverviewCell,
  OverviewImpact,
  OverviewResponse,
  OverviewTarget,
} from './api.js';
export type { ClientToServerEvents, ServerToClientEvents } from './events.js';
