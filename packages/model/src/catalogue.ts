import type * as Y from 'yjs';
import { ActionPlan } from './ActionPlan.js';
import { META_MAP } from './DocumentMeta.js';
import { PILOT_SECTIONS, PilotLog } from './PilotLog.js';

/** Searchable text of a document or of one of its measures. */
export interface ExtractedEntry {
  /** Measure id, or null for the document itself. */
  itemId: string | null;
  title: string;
  body: string;
  sector: string | null;
  status: string | null;
}

/**
 * What the catalogue and search index keep of a document: the document itself (title and its
 * prose) and, for plans, one entry per measure. Pure: runs on the server off the hot path.
 */
export function extractEntries(doc: Y.Doc): ExtractedEntry[] {
  const kind = doc.getMap(META_MAP).get('kind');
  if (kind === 'plan') {
    const plan = new ActionPlan(doc);
    const targets = plan.targets.map((target) => `${target.fields.indicator} ${target.fields.scope}`).join('\n');
    return [
      { itemId: null, title: plan.title, body: [plan.summaryText, targets].filter(Boolean).join('\n'), sector: null, status: null },
      ...plan.measures.map((measure) => {
        const fields = measure.fields;
        return {
          itemId: measure.id,
          title: fields.title,
          body: [measure.descriptionText, fields.areaOfIntervention, fields.policyInstrument, fields.indicators, fields.statusReason]
            .filter(Boolean)
            .join('\n'),
          sector: fields.sector,
          status: fields.status,
        };
      }),
    ];
  }
  if (kind === 'pilot') {
    const pilot = new PilotLog(doc);
    const fields = pilot.fields;
    const body = [
      fields.theme,
      ...PILOT_SECTIONS.map((section) => pilot.sectionText(section)),
      ...pilot.entries.map((entry) => entry.bodyText),
    ]
      .filter(Boolean)
      .join('\n');
    return [{ itemId: null, title: pilot.title, body, sector: fields.sector, status: fields.status }];
  }
  const title = doc.getMap(META_MAP).get('title');
  return [{ itemId: null, title: typeof title === 'string' ? title : '', body: '', sector: null, status: null }];
}

/** Figures of one measure for the network overview. */
export interface MeasureFacts {
  id: string;
  title: string;
  sdgs: number[];
  sector: string | null;
  status: string;
  responsibleBody: string;
  estimatedCo2ReductionT: number | null;
  actualCo2ReductionT: number | null;
  estimatedEnergySavingsMwh: number | null;
  actualEnergySavingsMwh: number | null;
}

/** Figures of one target for the network overview. */
export interface TargetFacts {
  id: string;
  indicator: string;
  unit: string;
  baselineYear: number | null;
  baselineValue: number | null;
  targetYear: number | null;
  targetValue: number | null;
  actuals: Record<string, number>;
}

/** What the catalogue keeps of a document's figures, so the overview never loads Yjs documents. */
export interface DocumentFacts {
  /** User ids of everyone who has edited the document (kept by the server, not in the document). */
  contributorIds?: string[];
  /**
   * Digest of the search entries the server indexed last (kept by the server): the first
   * indexing after a document is opened again skips rewriting entries that did not change.
   */
  indexDigest?: string;
  measures: MeasureFacts[];
  targets: TargetFacts[];
  pilot?: { sector: string | null; status: string; recommendation: string | null; shareAsGoodPractice: boolean };
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads facts as the catalogue stored them, or null when they are not readable (a damaged row).
 * Facts written by an older version may lack a list: it reads as empty, and entries that are
 * not objects are left out, so one bad row never fails a whole overview or list.
 */
export function parseFacts(json: string): DocumentFacts | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const list = <T>(field: unknown): T[] => (Array.isArray(field) ? (field.filter(isRecord) as T[]) : []);
  const targets = list<TargetFacts>(value.targets).map((target) => (isRecord(target.actuals) ? target : { ...target, actuals: {} }));
  return { ...value, measures: list<MeasureFacts>(value.measures), targets };
}

export function extractFacts(doc: Y.Doc): DocumentFacts {
  const kind = doc.getMap(META_MAP).get('kind');
  if (kind === 'plan') {
    const plan = new ActionPlan(doc);
    return {
      measures: plan.measures.map((measure) => {
        const fields = measure.fields;
        return {
          id: measure.id,
          title: fields.title,
          sdgs: measure.sdgs,
          sector: fields.sector,
          status: fields.status,
          responsibleBody: fields.responsibleBody,
          estimatedCo2ReductionT: fields.estimatedCo2ReductionT,
          actualCo2ReductionT: fields.actualCo2ReductionT,
          estimatedEnergySavingsMwh: fields.estimatedEnergySavingsMwh,
          actualEnergySavingsMwh: fields.actualEnergySavingsMwh,
        };
      }),
      targets: plan.targets.map((target) => ({ id: target.id, ...target.fields, actuals: Object.fromEntries([...target.actuals].map(([year, value]) => [String(year), value])) })),
    };
  }
  if (kind === 'pilot') {
    const fields = new PilotLog(doc).fields;
    return {
      measures: [],
      targets: [],
      pilot: { sector: fields.sector, status: fields.status, recommendation: fields.recommendation, shareAsGoodPractice: fields.shareAsGoodPractice },
    };
  }
  return { measures: [], targets: [] };
}
