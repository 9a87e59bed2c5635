export {
  META_MAP,
  SCHEMA_VERSION,
  getSchemaVersion,
  getTitle,
  initDocument,
  setTitle,
} from './DocumentMeta.js';
export type { DocumentKind, DocumentMetaFields } from './DocumentMeta.js';
export { ActionPlan, MEASURE_STATUSES, Measure, SECTORS, Target } from './ActionPlan.js';
export type { MeasureFields, MeasureLink, MeasureStatus, Sdg, Sector, TargetFields } from './ActionPlan.js';
export { LogEntry, PILOT_SECTIONS, PILOT_STATUSES, PilotLog, RECOMMENDATIONS } from './PilotLog.js';
export type { PilotFields, PilotSection, PilotStatus, Recommendation } from './PilotLog.js';
export { ORDER_KEY, orderKeyFor, orderedEntries } from './ordering.js';
export type { OrderedEntry, Placement } from './ordering.js';
export { applyTextDiff, changedSpan, fragmentText, setParagraphs } from './fields.js';
export { newItemId } from './ids.js';
export { migrateDocument, migrations } from './migrations.js';
export type { Migration } from './migrations.js';
export { applyTemplate } from './templates.js';
export type { TemplateLanguage } from './templates.js';
export { MEASURE_CSV_COLUMNS, measuresToCsv, pilotToMarkdown, planToJson, planToMarkdown } from './exporters.js';
export type { ExportLanguage, NameLookup } from './exporters.js';
export { extractEntries, extractFacts, parseFacts } from './catalogue.js';
export type { DocumentFacts, ExtractedEntry, MeasureFacts, TargetFacts } from './catalogue.js';
export { markdownToPrintableHtml, planToHtml } from './htmlExport.js';
