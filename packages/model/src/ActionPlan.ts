import * as Y from 'yjs';
import { META_MAP } from './DocumentMeta.js';
import { createTexts, fragmentText, nested, nestedFragmentText, readNumber, readSet, readString, textIn, writeField, writeItemField, writeSet } from './fields.js';
import { newItemId } from './ids.js';
import { ORDER_KEY, type Placement, moveOrderedItem, orderKeyFor, orderedEntries, orderedItem } from './ordering.js';

/**
 * The action plan model. Field names follow the Covenant of Mayors SECAP action template where
 * it has them (title, sector, area of intervention, policy instrument, responsible body,
 * implementation start/end, implementation cost, estimated energy savings MWh/a, estimated CO₂
 * reduction t/a), so an export maps onto that template.
 *
 * Layout of the Y.Doc: `meta` (title, kind, schema version), `plan` (period), `summary`
 * (rich text), `targets` and `measures` (maps keyed by id with fractional `order` keys).
 */

export const SECTORS = [
  'transport',
  'buildings',
  'energy_supply',
  'industry',
  'agriculture_forestry',
  'waste',
  'consumption',
  'adaptation',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

export const MEASURE_STATUSES = ['planned', 'ongoing', 'done', 'paused', 'cancelled'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

/** Agenda 2030 goals 1–17. */
export type Sdg = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17;

/** Scalar fields of a target. */
export interface TargetFields {
  indicator: string;
  unit: string;
  /** What the target covers (e.g. "territorial emissions", "municipal organisation"). */
  scope: string;
  baselineYear: number | null;
  baselineValue: number | null;
  targetYear: number | null;
  targetValue: number | null;
}

/** Scalar fields of a measure (SECAP names where they exist). */
export interface MeasureFields {
  title: string;
  sector: Sector | null;
  areaOfIntervention: string;
  policyInstrument: string;
  /** Organisation id of the responsible body. */
  responsibleBody: string;
  responsibleDepartment: string;
  status: MeasureStatus;
  statusReason: string;
  /** ISO dates (YYYY-MM-DD). */
  implementationStart: string;
  implementationEnd: string;
  /** Implementation cost in SEK. */
  implementationCost: number | null;
  funding: string;
  estimatedCo2ReductionT: number | null;
  estimatedEnergySavingsMwh: number | null;
  actualCo2ReductionT: number | null;
  actualEnergySavingsMwh: number | null;
  indicators: string;
}

/** A link to a measure in another plan. */
export interface MeasureLink {
  planId: string;
  measureId: string;
}

const textFields = ['title', 'areaOfIntervention', 'policyInstrument', 'responsibleBody', 'responsibleDepartment', 'statusReason', 'implementationStart', 'implementationEnd', 'funding', 'indicators'] as const;
/** The measure's fields typed as free text (Y.Text: concurrent typing merges); the rest of `textFields` are an organisation id and dates. */
const freeTextFields = ['title', 'areaOfIntervention', 'policyInstrument', 'responsibleDepartment', 'statusReason', 'funding', 'indicators'] as const satisfies readonly (typeof textFields)[number][];
/** A target's fields typed as free text. */
const targetTextFields = ['indicator', 'unit', 'scope'] as const satisfies readonly (keyof TargetFields)[];
const numberFields = ['implementationCost', 'estimatedCo2ReductionT', 'estimatedEnergySavingsMwh', 'actualCo2ReductionT', 'actualEnergySavingsMwh'] as const;

function isSector(value: unknown): value is Sector {
  return typeof value === 'string' && (SECTORS as readonly string[]).includes(value);
}

function isStatus(value: unknown): value is MeasureStatus {
  return typeof value === 'string' && (MEASURE_STATUSES as readonly string[]).includes(value);
}

/** One target of a plan. */
export class Target {
  constructor(
    readonly id: string,
    private readonly map: Y.Map<unknown>,
  ) {}

  get fields(): TargetFields {
    return {
      indicator: readString(this.map, 'indicator'),
      unit: readString(this.map, 'unit'),
      scope: readString(this.map, 'scope'),
      baselineYear: readNumber(this.map, 'baselineYear'),
      baselineValue: readNumber(this.map, 'baselineValue'),
      targetYear: readNumber(this.map, 'targetYear'),
      targetValue: readNumber(this.map, 'targetValue'),
    };
  }

  /** Changes only the given fields (each its own Yjs entry). */
  update(changes: Partial<TargetFields>): void {
    for (const [key, value] of Object.entries(changes)) writeItemField(this.map, targetTextFields, key, value);
  }

  /** The Y.Text of a free-text field (null while it holds a version-1 string); see `textIn`. */
  text(key: (typeof targetTextFields)[number]): Y.Text | null {
    return textIn(this.map, key);
  }

  /** Yearly actual values, by year, for follow-up against the trajectory. */
  get actuals(): Map<number, number> {
    const actuals = this.map.get('actuals');
    const result = new Map<number, number>();
    if (actuals instanceof Y.Map) {
      for (const [year, value] of (actuals as Y.Map<unknown>).entries()) if (typeof value === 'number') result.set(Number(year), value);
    }
    return new Map([...result.entries()].sort((a, b) => a[0] - b[0]));
  }

  /** Sets (or with null removes) the actual value of one year. */
  setActual(year: number, value: number | null): void {
    if (!Number.isInteger(year)) throw new RangeError('year must be an integer');
    writeField(nested(this.map, 'actuals', () => new Y.Map<unknown>()), String(year), value);
  }
}

/** One measure of a plan. */
export class Measure {
  constructor(
    readonly id: string,
    private readonly map: Y.Map<unknown>,
  ) {}

  get fields(): MeasureFields {
    const sector = this.map.get('sector');
    const status = this.map.get('status');
    const fields = {
      sector: isSector(sector) ? sector : null,
      status: isStatus(status) ? status : 'planned',
    } as MeasureFields;
    for (const key of textFields) fields[key] = readString(this.map, key);
    for (const key of numberFields) fields[key] = readNumber(this.map, key);
    return fields;
  }

  update(changes: Partial<MeasureFields>): void {
    for (const [key, value] of Object.entries(changes)) {
      if (key === 'sector' && value !== null && !isSector(value)) throw new RangeError(`unknown sector ${String(value)}`);
      if (key === 'status' && !isStatus(value)) throw new RangeError(`unknown status ${String(value)}`);
      writeItemField(this.map, freeTextFields, key, value);
    }
  }

  /** The Y.Text of a free-text field (null while it holds a version-1 string); see `textIn`. */
  text(key: (typeof freeTextFields)[number]): Y.Text | null {
    return textIn(this.map, key);
  }

  /** Rich-text description (Tiptap binds to it); created on first use, so for editors only. */
  get description(): Y.XmlFragment {
    return nested(this.map, 'description', () => new Y.XmlFragment());
  }

  /** The description as plain text, without creating it (search, export). */
  get descriptionText(): string {
    return nestedFragmentText(this.map, 'description');
  }

  /** User ids of the contact people (never names or e-mail addresses). */
  get contactUserIds(): string[] {
    return readSet(this.map, 'contacts');
  }

  setContactUserIds(userIds: readonly string[]): void {
    writeSet(this.map, 'contacts', userIds);
  }

  get sdgs(): Sdg[] {
    return readSet(this.map, 'sdgs').map(Number).filter((goal): goal is Sdg => Number.isInteger(goal) && goal >= 1 && goal <= 17).sort((a, b) => a - b);
  }

  setSdgs(goals: readonly number[]): void {
    for (const goal of goals) if (!Number.isInteger(goal) || goal < 1 || goal > 17) throw new RangeError(`Agenda 2030 goals are 1–17, not ${goal}`);
    writeSet(this.map, 'sdgs', goals.map(String));
  }

  /** Ids of pilot logs that test this measure. */
  get pilotLinks(): string[] {
    return readSet(this.map, 'pilotLinks');
  }

  setPilotLinks(pilotIds: readonly string[]): void {
    writeSet(this.map, 'pilotLinks', pilotIds);
  }

  /** Links to measures in other plans. */
  get measureLinks(): MeasureLink[] {
    return readSet(this.map, 'measureLinks').map((key) => {
      const [planId = '', measureId = ''] = key.split('/');
      return { planId, measureId };
    });
  }

  setMeasureLinks(links: readonly MeasureLink[]): void {
    writeSet(this.map, 'measureLinks', links.map((link) => `${link.planId}/${link.measureId}`));
  }
}

/** Typed access to an action plan document. */
export class ActionPlan {
  constructor(readonly doc: Y.Doc) {}

  private get meta(): Y.Map<unknown> {
    return this.doc.getMap(META_MAP);
  }

  private get plan(): Y.Map<unknown> {
    return this.doc.getMap('plan');
  }

  private get targetMap(): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap('targets');
  }

  private get measureMap(): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap('measures');
  }

  get title(): string {
    return readString(this.meta, 'title');
  }

  setTitle(title: string): void {
    writeField(this.meta, 'title', title);
  }

  /** The plan period in years. */
  get period(): { startYear: number | null; endYear: number | null } {
    return { startYear: readNumber(this.plan, 'periodStart'), endYear: readNumber(this.plan, 'periodEnd') };
  }

  setPeriod(startYear: number | null, endYear: number | null): void {
    this.doc.transact(() => {
      writeField(this.plan, 'periodStart', startYear);
      writeField(this.plan, 'periodEnd', endYear);
    });
  }

  /** Vision and summary (rich text). */
  get summary(): Y.XmlFragment {
    return this.doc.getXmlFragment('summary');
  }

  get summaryText(): string {
    return fragmentText(this.summary);
  }

  get targets(): Target[] {
    return orderedEntries(this.targetMap).map((entry) => new Target(entry.id, entry.item));
  }

  target(id: string): Target | null {
    const map = orderedItem(this.targetMap, id);
    return map ? new Target(id, map) : null;
  }

  addTarget(fields: Partial<TargetFields> = {}, placement: Placement = 'end', id = newItemId()): Target {
    const map = new Y.Map<unknown>();
    this.doc.transact(() => {
      map.set(ORDER_KEY, orderKeyFor(orderedEntries(this.targetMap), placement));
      // Nested types are created with the item: created later, two replicas could each create
      // one at the same time and one of them (with its contents) would be lost.
      map.set('actuals', new Y.Map<unknown>());
      createTexts(map, targetTextFields);
      this.targetMap.set(id, map);
      new Target(id, map).update(fields);
    });
    return new Target(id, map);
  }

  moveTarget(id: string, placement: Placement): void {
    moveOrderedItem(this.targetMap, id, placement);
  }

  removeTarget(id: string): void {
    this.targetMap.delete(id);
  }

  get measures(): Measure[] {
    return orderedEntries(this.measureMap).map((entry) => new Measure(entry.id, entry.item));
  }

  measure(id: string): Measure | null {
    const map = orderedItem(this.measureMap, id);
    return map ? new Measure(id, map) : null;
  }

  addMeasure(fields: Partial<MeasureFields> = {}, placement: Placement = 'end', id = newItemId()): Measure {
    const map = new Y.Map<unknown>();
    this.doc.transact(() => {
      map.set(ORDER_KEY, orderKeyFor(orderedEntries(this.measureMap), placement));
      // Nested types are created with the item (see addTarget).
      map.set('description', new Y.XmlFragment());
      for (const set of ['contacts', 'sdgs', 'pilotLinks', 'measureLinks']) map.set(set, new Y.Map<unknown>());
      createTexts(map, freeTextFields);
      this.measureMap.set(id, map);
      new Measure(id, map).update({ status: 'planned', ...fields });
    });
    return new Measure(id, map);
  }

  moveMeasure(id: string, placement: Placement): void {
    moveOrderedItem(this.measureMap, id, placement);
  }

  removeMeasure(id: string): void {
    this.measureMap.delete(id);
  }
}
