import { ActionPlan, MEASURE_CSV_COLUMNS, MEASURE_STATUSES, type MeasureFields, SECTORS, setParagraphs } from '@samverkan/model';
import type { DocumentChanger, DocumentRecord, Store } from '../store/ports.js';
import { CommandError } from './CommandError.js';
import { FileTooLarge, MAX_COLUMNS, MAX_UNPACKED_BYTES, type Table, TableTooLarge, parseCsv, parseXlsx } from './tableParser.js';
import { auditUntilStored } from './untilStored.js';

/** Fields a column can be mapped to. */
export const IMPORT_FIELDS = [
  'title',
  'sector',
  'areaOfIntervention',
  'policyInstrument',
  'responsibleDepartment',
  'status',
  'statusReason',
  'implementationStart',
  'implementationEnd',
  'implementationCost',
  'funding',
  'estimatedCo2ReductionT',
  'estimatedEnergySavingsMwh',
  'actualCo2ReductionT',
  'actualEnergySavingsMwh',
  'indicators',
  'sdgs',
  'description',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const numberFields = new Set<ImportField>(['implementationCost', 'estimatedCo2ReductionT', 'estimatedEnergySavingsMwh', 'actualCo2ReductionT', 'actualEnergySavingsMwh']);
const dateFields = new Set<ImportField>(['implementationStart', 'implementationEnd']);

/** Header names (SECAP English, Swedish, field keys) that suggest a field. */
const headerSynonyms: Record<string, ImportField> = {
  titel: 'title',
  åtgärd: 'title',
  sektor: 'sector',
  insatsområde: 'areaOfIntervention',
  styrmedel: 'policyInstrument',
  ansvarig: 'responsibleDepartment',
  förvaltning: 'responsibleDepartment',
  status: 'status',
  kommentar: 'statusReason',
  start: 'implementationStart',
  slut: 'implementationEnd',
  kostnad: 'implementationCost',
  'kostnad (sek)': 'implementationCost',
  finansiering: 'funding',
  'förväntad minskning (t/år)': 'estimatedCo2ReductionT',
  indikatorer: 'indicators',
  'agenda 2030': 'sdgs',
  beskrivning: 'description',
};
for (const [key, header] of MEASURE_CSV_COLUMNS) {
  if ((IMPORT_FIELDS as readonly string[]).includes(key)) headerSynonyms[header.toLowerCase()] = key as ImportField;
  if ((IMPORT_FIELDS as readonly string[]).includes(key)) headerSynonyms[key.toLowerCase()] = key as ImportField;
}

const sectorSynonyms: Record<string, (typeof SECTORS)[number]> = {
  transporter: 'transport',
  byggnader: 'buildings',
  energiförsörjning: 'energy_supply',
  'energy supply': 'energy_supply',
  industri: 'industry',
  'jord- och skogsbruk': 'agriculture_forestry',
  'agriculture and forestry': 'agriculture_forestry',
  avfall: 'waste',
  konsumtion: 'consumption',
  klimatanpassning: 'adaptation',
  övrigt: 'other',
};

const statusSynonyms: Record<string, (typeof MEASURE_STATUSES)[number]> = {
  planerad: 'planned',
  pågående: 'ongoing',
  pågår: 'ongoing',
  klar: 'done',
  genomförd: 'done',
  pausad: 'paused',
  avbruten: 'cancelled',
  'not started': 'planned',
  completed: 'done',
};

/**
 * `record[key]` if the record has its own property `key`: a header or cell such as
 * "constructor" or "__proto__" must not find what every object inherits.
 */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Most non-empty description lines in one import (each becomes a paragraph of the document). */
export const MAX_IMPORT_DESCRIPTION_LINES = 20_000;

/** Column index → field, suggested from the headers. */
export function suggestMapping(headers: string[]): Record<string, ImportField> {
  const mapping: Record<string, ImportField> = {};
  const used = new Set<ImportField>();
  headers.forEach((header) => {
    const field = own(headerSynonyms, header.trim().toLowerCase());
    if (field && !used.has(field)) {
      mapping[header] = field;
      used.add(field);
    }
  });
  return mapping;
}

/** Swedish and English number formats: "1 234,5", "1234.5", "12 500 000". */
function parseNumber(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0]/g, '').replace(/kr$|sek$/i, '');
  const normalised = /,\d{1,2}$/.test(cleaned) || (cleaned.includes(',') && !cleaned.includes('.')) ? cleaned.replace(/\./g, '').replace(',', '.') : cleaned.replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) return null;
  const number = Number(normalised);
  // Over about 309 digits a number is Infinity, which no field can hold.
  return Number.isFinite(number) ? number : null;
}

/** One good row, ready to become a measure. */
export interface ImportedMeasure {
  row: number;
  fields: Partial<MeasureFields>;
  sdgs: number[];
  description: string;
}

export interface ImportPreview {
  headers: string[];
  mapping: Record<string, ImportField>;
  measures: ImportedMeasure[];
  rejected: { row: number; reasons: string[] }[];
  /**
   * When the file has more rows than an import reads (5,000): the last row that was read, as the
   * user numbers it (the rows after it were not read). Null when every row was read.
   */
  notReadAfterRow: number | null;
}

/** Most characters of one measure's description in an import. */
export const MAX_IMPORT_DESCRIPTION_CHARS = 20_000;

/** A description's paragraphs: its non-empty lines. */
const descriptionParagraphs = (description: string): string[] => description.split(/\r?\n/).filter(Boolean);

/** Validates every row against the mapping; nothing is written. */
export function previewTable(table: Table, mapping: Record<string, string>): ImportPreview {
  for (const field of Object.values(mapping)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) throw new CommandError('validation', `mapping: okänt fält ${field} / unknown field ${field}`);
  }
  const measures: ImportedMeasure[] = [];
  const rejected: ImportPreview['rejected'] = [];
  let descriptionLines = 0;
  for (const { row, cells } of table.rows) {
    const reasons: string[] = [];
    const fields: Record<string, unknown> = {};
    let sdgs: number[] = [];
    let description = '';
    table.headers.forEach((header, index) => {
      const field = own(mapping, header) as ImportField | undefined;
      const value = cells[index] ?? '';
      if (!field || value === '') return;
      if (field === 'sector') {
        const sector = (SECTORS as readonly string[]).includes(value) ? value : own(sectorSynonyms, value.toLowerCase());
        if (sector) fields.sector = sector;
        else reasons.push(`${header}: okänd sektor "${value}" / unknown sector`);
      } else if (field === 'status') {
        const status = (MEASURE_STATUSES as readonly string[]).includes(value.toLowerCase()) ? value.toLowerCase() : own(statusSynonyms, value.toLowerCase());
        if (status) fields.status = status;
        else reasons.push(`${header}: okänd status "${value}" / unknown status`);
      } else if (numberFields.has(field)) {
        const number = parseNumber(value);
        if (number === null) reasons.push(`${header}: "${value}" är inget tal / is not a number`);
        else fields[field] = number;
      } else if (dateFields.has(field)) {
        if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) fields[field] = value;
        else reasons.push(`${header}: "${value}" är inget datum ÅÅÅÅ-MM-DD / is not a date YYYY-MM-DD`);
      } else if (field === 'sdgs') {
        const goals = value.split(/[\s,;]+/).filter(Boolean).map(Number);
        if (goals.every((goal) => Number.isInteger(goal) && goal >= 1 && goal <= 17)) sdgs = goals;
        else reasons.push(`${header}: Agenda 2030-mål är 1–17 / goals are 1–17`);
      } else if (field === 'description') {
        if (value.length <= MAX_IMPORT_DESCRIPTION_CHARS) description = value;
        else reasons.push(`${header}: längre än ${MAX_IMPORT_DESCRIPTION_CHARS} tecken / longer than ${MAX_IMPORT_DESCRIPTION_CHARS} characters`);
      } else {
        fields[field] = value.slice(0, 2000);
      }
    });
    if (!fields.title) reasons.push('Titel saknas / the title is missing');
    if (description) {
      const lines = descriptionParagraphs(description).length;
      if (descriptionLines + lines > MAX_IMPORT_DESCRIPTION_LINES) {
        reasons.push(
          `Beskrivningarna har tillsammans fler än ${MAX_IMPORT_DESCRIPTION_LINES} rader; importera resten i en egen fil / the descriptions have more than ${MAX_IMPORT_DESCRIPTION_LINES} lines in all; import the rest in a file of its own`,
        );
      } else if (reasons.length === 0) {
        descriptionLines += lines;
      }
    }
    if (reasons.length > 0) rejected.push({ row, reasons });
    else measures.push({ row, fields: fields, sdgs, description });
  }
  return { headers: table.headers, mapping: mapping as Record<string, ImportField>, measures, rejected, notReadAfterRow: table.moreRows ? (table.rows.at(-1)?.row ?? null) : null };
}

/** Reads an uploaded file (base64) as a table. */
export async function readTable(format: 'csv' | 'xlsx', base64: string): Promise<Table> {
  const content = Buffer.from(base64, 'base64');
  try {
    return format === 'csv' ? parseCsv(content) : await parseXlsx(content);
  } catch (error) {
    if (error instanceof TableTooLarge) {
      throw new CommandError(
        'validation',
        `content: tabellen har ${error.columns} kolumner, högst ${MAX_COLUMNS} går att importera / the table has ${error.columns} columns; at most ${MAX_COLUMNS} can be imported`,
      );
    }
    if (error instanceof FileTooLarge) {
      const megabytes = MAX_UNPACKED_BYTES / 1024 / 1024;
      throw new CommandError(
        'validation',
        `content: filen packas upp till mer än ${megabytes} MB, så stora tabeller går inte att importera / the file unpacks to more than ${megabytes} MB; tables that large cannot be imported`,
      );
    }
    throw new CommandError('validation', `content: filen kunde inte läsas som ${format.toUpperCase()} / the file could not be read as ${format.toUpperCase()}`);
  }
}

/** Writes the good rows as new measures at the end of the plan, in one server change. */
export async function measureImporter(
  deps: { store: Store; documents: DocumentChanger },
  actorId: string,
  plan: DocumentRecord,
  preview: ImportPreview,
): Promise<{ imported: number }> {
  if (plan.type !== 'plan') throw new CommandError('validation', 'Import går bara till handlingsplaner. / Measures can only be imported into action plans.');
  // No good row: nothing is changed, so nothing is recorded (and nothing waits for the store).
  if (preview.measures.length === 0) return { imported: 0 };
  await deps.documents.applyServerChange(plan.id, (doc) => {
    const model = new ActionPlan(doc);
    for (const row of preview.measures) {
      const measure = model.addMeasure(row.fields);
      if (row.sdgs.length > 0) measure.setSdgs(row.sdgs);
      if (row.description) setParagraphs(measure.description, descriptionParagraphs(row.description));
    }
  });
  await auditUntilStored(deps.store, actorId, 'measure.import', plan.id);
  return { imported: preview.measures.length };
}
