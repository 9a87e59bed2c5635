import * as Y from 'yjs';
import { type Sector, SECTORS } from './ActionPlan.js';
import { META_MAP } from './DocumentMeta.js';
import { createTexts, fragmentText, nested, nestedFragmentText, readBoolean, readString, textIn, writeField, writeItemField } from './fields.js';
import { newItemId } from './ids.js';
import { ORDER_KEY, type Placement, moveOrderedItem, orderKeyFor, orderedEntries, orderedItem } from './ordering.js';

/**
 * The pilot log model ("test and share"): what a municipality tries, how it goes, what others
 * should do with it — including when it did not work.
 *
 * Layout of the Y.Doc: `meta` (title, kind, schema version), `pilot` (scalar fields), one
 * rich-text fragment per section, `entries` (dated log entries keyed by id with fractional
 * `order` keys).
 */

export const PILOT_STATUSES = ['planned', 'running', 'completed', 'stopped'] as const;
export type PilotStatus = (typeof PILOT_STATUSES)[number];

/** The facts typed as free text (Y.Text: concurrent typing merges); the others are choices, dates and ids. */
const pilotTextFields = ['theme'] as const satisfies readonly (keyof PilotFields)[];

export const RECOMMENDATIONS = ['adopt', 'continue', 'stop'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/** The rich-text sections of a pilot log, in reading order. */
export const PILOT_SECTIONS = [
  'hypothesis',
  'method',
  'successSignals',
  'failureSignals',
  'results',
  'wentWell',
  'wentLessWell',
  'surprises',
] as const;
export type PilotSection = (typeof PILOT_SECTIONS)[number];

/** Scalar fields of a pilot. */
export interface PilotFields {
  sector: Sector | null;
  /** Free-text theme within the sector. */
  theme: string;
  /** The measure the pilot tests (plan id and measure id). */
  testedPlanId: string;
  testedMeasureId: string;
  status: PilotStatus;
  /** ISO dates (YYYY-MM-DD). */
  startDate: string;
  reviewDate: string;
  endDate: string;
  recommendation: Recommendation | null;
  shareAsGoodPractice: boolean;
}

/** A dated log entry. */
export class LogEntry {
  constructor(
    readonly id: string,
    private readonly map: Y.Map<unknown>,
  ) {}

  /** User id of the author (never a name). */
  get authorId(): string {
    return readString(this.map, 'authorId');
  }

  /** ISO date (YYYY-MM-DD). */
  get date(): string {
    return readString(this.map, 'date');
  }

  setDate(date: string): void {
    writeField(this.map, 'date', date);
  }

  /** The entry's rich text (Tiptap binds to it); created on first use, so for editors only. */
  get body(): Y.XmlFragment {
    return nested(this.map, 'body', () => new Y.XmlFragment());
  }

  /** The entry as plain text, without creating it (search, export). */
  get bodyText(): string {
    return nestedFragmentText(this.map, 'body');
  }
}

/** Typed access to a pilot log document. */
export class PilotLog {
  constructor(readonly doc: Y.Doc) {}

  private get meta(): Y.Map<unknown> {
    return this.doc.getMap(META_MAP);
  }

  private get pilot(): Y.Map<unknown> {
    return this.doc.getMap('pilot');
  }

  private get entryMap(): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap('entries');
  }

  get title(): string {
    return readString(this.meta, 'title');
  }

  setTitle(title: string): void {
    writeField(this.meta, 'title', title);
  }

  get fields(): PilotFields {
    const sector = this.pilot.get('sector');
    const status = this.pilot.get('status');
    const recommendation = this.pilot.get('recommendation');
    return {
      sector: typeof sector === 'string' && (SECTORS as readonly string[]).includes(sector) ? (sector as Sector) : null,
      theme: readString(this.pilot, 'theme'),
      testedPlanId: readString(this.pilot, 'testedPlanId'),
      testedMeasureId: readString(this.pilot, 'testedMeasureId'),
      status: typeof status === 'string' && (PILOT_STATUSES as readonly string[]).includes(status) ? (status as PilotStatus) : 'planned',
      startDate: readString(this.pilot, 'startDate'),
      reviewDate: readString(this.pilot, 'reviewDate'),
      endDate: readString(this.pilot, 'endDate'),
      recommendation:
        typeof recommendation === 'string' && (RECOMMENDATIONS as readonly string[]).includes(recommendation) ? (recommendation as Recommendation) : null,
      shareAsGoodPractice: readBoolean(this.pilot, 'shareAsGoodPractice'),
    };
  }

  update(changes: Partial<PilotFields>): void {
    this.doc.transact(() => {
      for (const [key, value] of Object.entries(changes)) {
        if (key === 'sector' && value !== null && !(SECTORS as readonly unknown[]).includes(value)) throw new RangeError(`unknown sector ${String(value)}`);
        if (key === 'status' && !(PILOT_STATUSES as readonly unknown[]).includes(value)) throw new RangeError(`unknown status ${String(value)}`);
        if (key === 'recommendation' && value !== null && !(RECOMMENDATIONS as readonly unknown[]).includes(value)) {
          throw new RangeError(`unknown recommendation ${String(value)}`);
        }
        writeItemField(this.pilot, pilotTextFields, key, value);
      }
    });
  }

  /** The Y.Text of a free-text fact (null while it holds a version-1 string); see `textIn`. */
  text(key: (typeof pilotTextFields)[number]): Y.Text | null {
    return textIn(this.pilot, key);
  }

  /** Creates the Y.Texts of the free-text facts (see `createTexts`); for a new pilot log. */
  createTexts(): void {
    createTexts(this.pilot, pilotTextFields);
  }

  /** One rich-text section (hypothesis, method, results, what went well, …). */
  section(name: PilotSection): Y.XmlFragment {
    return this.doc.getXmlFragment(name);
  }

  sectionText(name: PilotSection): string {
    return fragmentText(this.section(name));
  }

  get entries(): LogEntry[] {
    return orderedEntries(this.entryMap).map((entry) => new LogEntry(entry.id, entry.item));
  }

  entry(id: string): LogEntry | null {
    const map = orderedItem(this.entryMap, id);
    return map ? new LogEntry(id, map) : null;
  }

  /** Appends a dated entry (any editor may); returns it so its body can be written. */
  addEntry(authorId: string, date: string, placement: Placement = 'end', id = newItemId()): LogEntry {
    const map = new Y.Map<unknown>();
    this.doc.transact(() => {
      map.set(ORDER_KEY, orderKeyFor(orderedEntries(this.entryMap), placement));
      map.set('authorId', authorId);
      map.set('date', date);
      map.set('body', new Y.XmlFragment());
      this.entryMap.set(id, map);
    });
    return new LogEntry(id, map);
  }

  moveEntry(id: string, placement: Placement): void {
    moveOrderedItem(this.entryMap, id, placement);
  }

  removeEntry(id: string): void {
    this.entryMap.delete(id);
  }
}
