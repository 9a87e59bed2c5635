export {
  META_MAP,
  SCHEMA_VERSION,
  getSchemaVersion,
  getTitle,
  initDocument,
  setTitle,
} from './DocumentMeta.js';
export type { DocumentKind, DocumentMetaFields } from './DocumentMeta.js';
